#include "opsaudit/files/secrets.hpp"

#include <ops/text.hpp>

#include <array>

namespace opsaudit::files {

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

bool word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// At line[i], after a key: the separator and a non-empty value?
bool value_follows(std::string_view line, std::size_t i, bool ini, bool key_starts_line) {
  while (i < line.size() && word_byte(line[i])) ++i;                       // the rest of the key
  while (i < line.size() && (line[i] == '\'' || line[i] == '"' || line[i] == ']')) ++i;  // its closing quote
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i == line.size()) return false;
  if (line.compare(i, 2, "=>") == 0) i += 2;
  else if (line[i] == '=' || line[i] == ':' || line[i] == ',') ++i;
  else return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i == line.size()) return false;
  const char q = line[i];
  if (q == '\'' || q == '"') return i + 1 < line.size() && line[i + 1] != q;
  // Unquoted: an INI value (my.cnf), not a comment.
  return ini && key_starts_line && q != '#' && q != ';';
}

}  // namespace

std::optional<SecretName> secret_name(std::string_view name) {
  if (name == ".env") return SecretName{"environment file", SecretTest::name};
  if (name.substr(0, 5) == ".env.") {
    for (std::string_view sample : {".example", ".sample", ".dist", ".template"})
      if (ends_with(name, sample)) return std::nullopt;  // a template committed without values
    return SecretName{"environment file", SecretTest::name};
  }
  if (ends_with(name, ".key") && name.size() > 4) return SecretName{"private key", SecretTest::name};
  if (ends_with(name, ".pem") && name.size() > 4) return SecretName{"PEM private key", SecretTest::private_key};
  if (name == ".my.cnf") return SecretName{"MySQL client file", SecretTest::name};
  if (name == ".pgpass") return SecretName{"PostgreSQL password file", SecretTest::name};
  if (name == "ops.conf") return SecretName{"ops configuration", SecretTest::name};
  if (name == "my.cnf") return SecretName{"MySQL configuration", SecretTest::password};
  if (name == "settings.py") return SecretName{"Django settings", SecretTest::password};
  if (name == "config.php") return SecretName{"PHP configuration", SecretTest::password};
  if (name == "wp-config.php") return SecretName{"WordPress configuration", SecretTest::password};
  return std::nullopt;
}

bool writes_password(std::string_view text, bool ini) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const std::string lower = ops::ascii_lower(line);
    const std::size_t first = lower.find_first_not_of(" \t");
    for (std::size_t at = lower.find("pass"); at != std::string::npos; at = lower.find("pass", at + 1)) {
      // Where the key began: back over its word (DB_PASSWORD) and an opening quote.
      std::size_t key = at;
      while (key > 0 && word_byte(line[key - 1])) --key;
      if (value_follows(line, at, ini, key == first)) return true;
    }
    start = end + 1;
  }
  return false;
}

bool holds_private_key(std::string_view text) {
  const std::size_t begin = text.find("-----BEGIN ");
  return begin != std::string_view::npos && text.find("PRIVATE KEY-----", begin) != std::string_view::npos;
}

}  // namespace opsaudit::files
