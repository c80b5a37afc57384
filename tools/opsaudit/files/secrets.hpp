#pragma once
// Which files hold secrets, by name and, where the name alone does not say
// (a settings.py, a certificate .pem), by what is in them. perms asks only
// for files whose mode gives too much away, so a tree is not read through.

#include <optional>
#include <string>
#include <string_view>

namespace opsaudit::files {

enum class SecretTest {
  name,         // the name says it: .env, *.key, .pgpass, .my.cnf, ops.conf
  password,     // settings.py, config.php, wp-config.php, my.cnf: when a password is written in it
  private_key,  // *.pem: when it holds a private key (a certificate alone is public)
};

struct SecretName {
  std::string what;  // "environment file", "private key", "Django settings"
  SecretTest test;
};

// What the name `name` (the last part of a path) makes of a file; nullopt
// when nothing.
std::optional<SecretName> secret_name(std::string_view name);

// Whether `text` writes a password: a key with "pass" in it (password,
// PASSWORD, passwd, DB_PASS) followed by = : , or => and a quoted non-empty
// literal ('PASSWORD': 'x', define('DB_PASSWORD', 'x'), $db_pass = "x");
// with `ini`, also an unquoted value (my.cnf: password = x). A value taken
// from the environment (os.environ["X"], getenv('X')) is no password.
bool writes_password(std::string_view text, bool ini);

// Whether `text` holds a PEM private key ("-----BEGIN … PRIVATE KEY-----").
bool holds_private_key(std::string_view text);

}  // namespace opsaudit::files
