// DSN parsing (good and bad DSNs, each message checked) and password files.

#include <ops/db.hpp>
#include <ops/log.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using ops::db::Engine;
using ops::db::parse_dsn;

namespace {

using ops::test::TempDir;

// The message of the usage error parse_dsn must throw for text.
std::string dsn_error(const std::string& text) {
  try {
    parse_dsn(text);
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    return e.what();
  }
  FAIL("parse_dsn accepted '" << text << "'");
  return {};
}

constexpr const char* schemes = " (expected postgresql://, mysql://, mariadb:// or sqlite:///)";

}  // namespace

TEST_CASE("db: postgresql DSNs", "[db]") {
  auto d = parse_dsn("postgresql://ops_test@127.0.0.1:5433/ops_test");
  CHECK(d.engine == Engine::postgresql);
  CHECK(d.user == "ops_test");
  CHECK(d.host == "127.0.0.1");
  CHECK(d.port == 5433);
  CHECK(d.database == "ops_test");
  CHECK(d.display() == "postgresql://ops_test@127.0.0.1:5433/ops_test");

  d = parse_dsn("postgres://app@db1/app?sslmode=require&connect_timeout=5");
  CHECK(d.engine == Engine::postgresql);
  CHECK(d.scheme == "postgres");
  CHECK(d.port == 0);
  CHECK(d.param("sslmode") == "require");
  CHECK(d.param("connect_timeout") == "5");
  CHECK(d.params.size() == 2);
  CHECK(d.display() == "postgres://app@db1/app");

  d = parse_dsn("postgresql:///patient_input");
  CHECK(d.user.empty());
  CHECK(d.host.empty());
  CHECK(d.database == "patient_input");
  CHECK(d.display() == "postgresql:///patient_input");

  // A socket directory, percent-encoded in the host or given as ?host=.
  d = parse_dsn("postgresql://backup@%2Fvar%2Frun%2Fpostgresql/app");
  CHECK(d.host == "/var/run/postgresql");
  CHECK(d.display() == "postgresql://backup@%2Fvar%2Frun%2Fpostgresql/app");
  d = parse_dsn("postgresql:///app?host=/run/postgresql&port=5434&user=backup");
  CHECK(d.host == "/run/postgresql");
  CHECK(d.port == 5434);
  CHECK(d.user == "backup");

  d = parse_dsn("postgresql://u@[::1]:5432/app");
  CHECK(d.host == "::1");
  CHECK(d.port == 5432);
  CHECK(d.display() == "postgresql://u@[::1]:5432/app");

  d = parse_dsn("postgresql://u@h1:5432,h2:5433/app");
  CHECK(d.host == "h1,h2");
  CHECK(d.port == 0);

  d = parse_dsn("postgresql://j%C3%B6rg@h/caf%C3%A9%2Fx");
  CHECK(d.user == "j\xC3\xB6rg");
  CHECK(d.database == "caf\xC3\xA9/x");
  CHECK(d.display() == "postgresql://j\xC3\xB6rg@h/caf\xC3\xA9%2Fx");
}

TEST_CASE("db: mysql and mariadb DSNs", "[db]") {
  auto d = parse_dsn("mysql://backup@db1:3306/case_mgmt");
  CHECK(d.engine == Engine::mysql);
  CHECK(d.user == "backup");
  CHECK(d.host == "db1");
  CHECK(d.port == 3306);
  CHECK(d.database == "case_mgmt");
  CHECK(d.display() == "mysql://backup@db1:3306/case_mgmt");

  d = parse_dsn("mariadb://backup@/app?socket=/run/mysqld/mysqld.sock");
  CHECK(d.engine == Engine::mysql);
  CHECK(d.scheme == "mariadb");
  CHECK(d.host.empty());
  CHECK(d.socket == "/run/mysqld/mysqld.sock");
  CHECK(d.display() == "mariadb://backup@/app");

  d = parse_dsn("mysql://u@h/db?ssl-mode=required&ssl-ca=/etc/ssl/ca.pem&charset=utf8mb4");
  CHECK(d.param("ssl-mode") == "required");
  CHECK(d.param("ssl-ca") == "/etc/ssl/ca.pem");

  d = parse_dsn("mysql://u@h");
  CHECK(d.database.empty());
  d = parse_dsn("mysql://h/");
  CHECK(d.user.empty());
  CHECK(d.host == "h");
  CHECK(d.database.empty());
  d = parse_dsn("mysql://o%27brien@h/my%20db");
  CHECK(d.user == "o'brien");
  CHECK(d.database == "my db");
}

TEST_CASE("db: sqlite DSNs", "[db]") {
  auto d = parse_dsn("sqlite:///var/lib/app/app.db");
  CHECK(d.engine == Engine::sqlite);
  CHECK(d.path == "/var/lib/app/app.db");
  CHECK(d.display() == "sqlite:///var/lib/app/app.db");
  d = parse_dsn("sqlite:///tmp/with%20space.db?mode=ro");
  CHECK(d.path == "/tmp/with space.db");
  CHECK(d.param("mode") == "ro");
  CHECK(d.display() == "sqlite:///tmp/with space.db");
}

TEST_CASE("db: bad DSNs are usage errors naming the DSN", "[db]") {
  CHECK(dsn_error("foo://x") == std::string("invalid DSN 'foo://x': unknown scheme 'foo'") + schemes);
  CHECK(dsn_error("") == std::string("invalid DSN '': empty") + schemes);
  CHECK(dsn_error("localhost") == std::string("invalid DSN 'localhost': not a URI") + schemes);
  CHECK(dsn_error("postgresql:app") ==
        std::string("invalid DSN 'postgresql:app': 'postgresql:' must be followed by //") + schemes);
  CHECK(dsn_error("sqlite:relative.db") ==
        std::string("invalid DSN 'sqlite:relative.db': 'sqlite:' must be followed by //") + schemes);
  CHECK(dsn_error("POSTGRESQL://h/db") == std::string("invalid DSN 'POSTGRESQL://h/db': unknown scheme 'POSTGRESQL'") + schemes);

  CHECK(dsn_error("postgresql://u@h/db?bogus=1") ==
        "invalid DSN 'postgresql://u@h/db?bogus=1': invalid URI query parameter: \"bogus\"");
  CHECK(dsn_error("postgresql://u@h/d%zzb") ==
        "invalid DSN 'postgresql://u@h/d%zzb': bad percent-encoding in the database name");
  CHECK(dsn_error("postgresql://u@h/d%00b") ==
        "invalid DSN 'postgresql://u@h/d%00b': the database name contains a NUL byte (%00)");
  CHECK(dsn_error("postgresql://u@h/db#x") == "invalid DSN 'postgresql://u@h/db#x': unexpected '#' (write it as %23)");
  CHECK(dsn_error("postgresql://u@h/my db") == "invalid DSN 'postgresql://u@h/my db': contains a space (write it as %20)");
  CHECK(dsn_error("postgresql://u@h/db\n") ==
        "invalid DSN 'postgresql://u@h/db\\n': contains a control character or whitespace");  // escaped
  CHECK(dsn_error("postgresql://u@[::1/db") == "invalid DSN 'postgresql://u@[::1/db': unterminated '[' in the host");

  CHECK(dsn_error("mysql://u@h:abc/db") == "invalid DSN 'mysql://u@h:abc/db': bad port 'abc' (expected 1-65535)");
  CHECK(dsn_error("mysql://u@h:70000/db") == "invalid DSN 'mysql://u@h:70000/db': bad port '70000' (expected 1-65535)");
  CHECK(dsn_error("mysql://u@h:/db") == "invalid DSN 'mysql://u@h:/db': empty port after ':'");
  CHECK(dsn_error("mysql://@h/db") == "invalid DSN 'mysql://@h/db': empty user name before '@'");
  CHECK(dsn_error("mysql://u@h1,h2/db") == "invalid DSN 'mysql://u@h1,h2/db': MySQL takes one host, not a list");
  CHECK(dsn_error("mysql://u@h/db/x") ==
        "invalid DSN 'mysql://u@h/db/x': the database name contains '/' (write it as %2F)");
  CHECK(dsn_error("mysql://u@h/db?foo=1") ==
        "invalid DSN 'mysql://u@h/db?foo=1': unknown parameter 'foo' "
        "(MySQL knows: socket, ssl-mode, ssl-ca, ssl-cert, ssl-key, charset)");
  CHECK(dsn_error("mysql://u@h/db?ssl-mode=maybe") ==
        "invalid DSN 'mysql://u@h/db?ssl-mode=maybe': bad ssl-mode 'maybe' "
        "(expected DISABLED, REQUIRED, VERIFY_IDENTITY)");
  CHECK(dsn_error("mysql://u@h/db?socket=rel.sock") ==
        "invalid DSN 'mysql://u@h/db?socket=rel.sock': socket 'rel.sock' is not an absolute path");
  CHECK(dsn_error("mysql://u@h/db?socket=/a&socket=/b") ==
        "invalid DSN 'mysql://u@h/db?socket=/a&socket=/b': parameter 'socket' given twice");
  CHECK(dsn_error("mysql://u@h/db?socket") == "invalid DSN 'mysql://u@h/db?socket': parameter 'socket' is not key=value");
  CHECK(dsn_error("mysql://u@h/db?charset=utf8;drop") ==
        "invalid DSN 'mysql://u@h/db?charset=utf8;drop': bad charset 'utf8;drop'");

  const std::string sqlite_abs = "a SQLite DSN takes no host or user, only an absolute path: sqlite:///absolute/path.db";
  CHECK(dsn_error("sqlite://relative.db") == "invalid DSN 'sqlite://relative.db': " + sqlite_abs);
  CHECK(dsn_error("sqlite://host/x.db") == "invalid DSN 'sqlite://host/x.db': " + sqlite_abs);
  CHECK(dsn_error("sqlite:///") == "invalid DSN 'sqlite:///': no database file after sqlite:///");
  CHECK(dsn_error("sqlite:///x.db?mode=rwx") == "invalid DSN 'sqlite:///x.db?mode=rwx': bad mode 'rwx' (expected ro, rw or rwc)");
  CHECK(dsn_error("sqlite:///x.db?cache=shared") ==
        "invalid DSN 'sqlite:///x.db?cache=shared': unknown parameter 'cache' (SQLite knows: mode)");
}

TEST_CASE("db: PostgreSQL values libpq would refuse at connect are refused when parsed", "[db]") {
  // A typo in a DSN is bad usage (exit 3), not an unreachable server (exit 2).
  CHECK(dsn_error("postgresql://u@h/db?sslmode=bogus") ==
        "invalid DSN 'postgresql://u@h/db?sslmode=bogus': invalid sslmode 'bogus' "
        "(expected disable, allow, prefer, require, verify-ca, verify-full)");
  CHECK(dsn_error("postgresql://u@h/db?gssencmode=maybe") ==
        "invalid DSN 'postgresql://u@h/db?gssencmode=maybe': invalid gssencmode 'maybe' (expected disable, prefer, require)");
  CHECK(dsn_error("postgresql://u@h/db?channel_binding=always") ==
        "invalid DSN 'postgresql://u@h/db?channel_binding=always': invalid channel_binding 'always' "
        "(expected disable, prefer, require)");
  CHECK(dsn_error("postgresql://u@h/db?target_session_attrs=primary-only") ==
        "invalid DSN 'postgresql://u@h/db?target_session_attrs=primary-only': invalid target_session_attrs "
        "'primary-only' (expected any, read-write, read-only, primary, standby, prefer-standby)");
  CHECK(dsn_error("postgresql://u@h/db?connect_timeout=soon") ==
        "invalid DSN 'postgresql://u@h/db?connect_timeout=soon': invalid connect_timeout 'soon' "
        "(expected a whole number of 0 or more)");
  CHECK(dsn_error("postgresql://u@h/db?keepalives_idle=-5") ==
        "invalid DSN 'postgresql://u@h/db?keepalives_idle=-5': invalid keepalives_idle '-5' "
        "(expected a whole number of 0 or more)");
  for (const char* good : {"postgresql://u@h/db?sslmode=verify-full", "postgresql://u@h/db?sslmode=disable&connect_timeout=5",
                           "postgresql://u@h/db?target_session_attrs=read-write&gssencmode=disable"})
    CHECK_NOTHROW(parse_dsn(good));
}

TEST_CASE("db: a password in a DSN is refused and never shown", "[db]") {
  const std::string why = "': a password may not be written in a DSN";
  CHECK(dsn_error("postgresql://alice:s3cret@db1/app") == "invalid DSN 'postgresql://alice:***@db1/app" + why);
  CHECK(dsn_error("mysql://alice:@db1/app") == "invalid DSN 'mysql://alice:***@db1/app" + why);
  CHECK(dsn_error("mariadb://alice:s3cret@db1/app?socket=/x") == "invalid DSN 'mariadb://alice:***@db1/app?socket=/x" + why);
  CHECK(dsn_error("postgresql://alice@db1/app?sslmode=require&password=s3cret") ==
        "invalid DSN 'postgresql://alice@db1/app?sslmode=require&password=***" + why);
  CHECK(dsn_error("postgresql://alice@db1/app?sslpassword=s3cret&x=1") ==
        "invalid DSN 'postgresql://alice@db1/app?sslpassword=***&x=1" + why);
  CHECK(dsn_error("sqlite://u:s3cret@/x.db") == "invalid DSN 'sqlite://u:***@/x.db" + why);
  try {
    parse_dsn("postgresql://alice:s3cret@db1/app");
  } catch (const ops::Error& e) {
    CHECK_THAT(e.hint(), Catch::Contains("password_file"));
  }
}

TEST_CASE("db: password files", "[db]") {
  TempDir dir;
  ops::Warnings warnings;
  CHECK(ops::db::read_password_file(dir.write("plain", "s3cret", 0600), warnings) == "s3cret");
  CHECK(ops::db::read_password_file(dir.write("newline", "s3cret\n", 0600), warnings) == "s3cret");
  CHECK(ops::db::read_password_file(dir.write("crlf", "s3cret\r\n", 0600), warnings) == "s3cret");
  CHECK(ops::db::read_password_file(dir.write("lines", "first line\nsecond\n", 0600), warnings) == "first line");
  CHECK(ops::db::read_password_file(dir.write("spaces", " with spaces \n", 0600), warnings) == " with spaces ");

  CHECK(warnings.count() == 0);  // 0600: nothing to say

  auto error_of = [&warnings](const fs::path& p) -> ops::Error {
    try {
      ops::db::read_password_file(p, warnings);
    } catch (const ops::Error& e) {
      return e;
    }
    FAIL("read_password_file accepted " << p);
    throw std::logic_error("unreachable");
  };
  const fs::path missing = dir.path() / "missing";
  auto e = error_of(missing);
  CHECK(e.status() == ops::Status::unknown);
  CHECK(std::string(e.what()) == "cannot read password file " + missing.string() + ": No such file or directory");

  const fs::path empty = dir.write("empty", "", 0600);
  e = error_of(empty);
  CHECK(e.status() == ops::Status::unknown);
  CHECK(std::string(e.what()) == "password file " + empty.string() + " is empty (the password is its first line)");
  const fs::path blank_line = dir.write("blank", "\nsecret-on-line-2\n", 0600);
  CHECK(std::string(error_of(blank_line).what()) ==
        "password file " + blank_line.string() + " is empty (the password is its first line)");
  CHECK(std::string(error_of(dir.path()).what()) == "password file " + dir.path().string() + " is a directory");

  if (::geteuid() != 0) {  // root reads anything
    const fs::path unreadable = dir.write("unreadable", "s3cret", 0000);
    CHECK(std::string(error_of(unreadable).what()) ==
          "cannot read password file " + unreadable.string() + ": Permission denied");
  }
  // Readable by others: a warning, and the password is still read.
  const int before = warnings.count();
  CHECK(ops::db::read_password_file(dir.write("shared", "s3cret\n", 0644), warnings) == "s3cret");
  CHECK(warnings.count() == before + 1);
  CHECK(warnings.status() == ops::Status::warning);
}
