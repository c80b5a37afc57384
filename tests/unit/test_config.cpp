// ops/config.hpp: ops.conf parsing, [db.NAME] sections, and errors that name
// the file and line.
#include <ops/config.hpp>
#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

using ops::test::EnvGuard;
using ops::test::TempDir;

// The message of the exit-3 error that parsing `text` as `path` gives.
std::string parse_error(const std::string& text, const std::string& path = "/etc/ops/test.conf") {
  try {
    ops::Config::parse(path, text);
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    return e.what();
  }
  FAIL("parse accepted:\n" << text);
  return {};
}

const char* kExample =
    "# ops.conf for the test\n"
    "; another comment style\n"
    "\n"
    "[df]\n"
    "warn = 80%\n"
    "  crit=90%  \n"
    "exclude_type = \"tmpfs\"\n"
    "empty =\n"
    "\n"
    "[db.app]\n"
    "dsn = postgresql://backup@localhost/patient_input?sslmode=require\n"
    "password_file = /etc/ops/app.pass\n"
    "\n"
    "[db.cases]\n"
    "dsn = mysql://backup@db2:3306/cases\n"
    "[backup]\n"
    "dir = \"/backups/with spaces\"\n";

}  // namespace

TEST_CASE("config: sections and keys and comments and quoted values") {
  auto config = ops::Config::parse("/etc/ops/ops.conf", kExample);
  CHECK(config.path() == "/etc/ops/ops.conf");
  const ops::ConfigSection* df = config.section("df");
  REQUIRE(df);
  CHECK(df->line == 4);
  REQUIRE(df->entries.size() == 4);
  CHECK(df->entries[0].key == "warn");
  CHECK(df->entries[0].value == "80%");
  CHECK(df->entries[0].line == 5);
  CHECK(df->entries[1].key == "crit");  // blanks around key and value do not count
  CHECK(df->entries[1].value == "90%");
  CHECK(df->entries[2].value == "tmpfs");  // quotes removed
  CHECK(df->entries[3].key == "empty");
  CHECK(df->entries[3].value.empty());
  const ops::ConfigSection* backup = config.section("backup");
  REQUIRE(backup);
  REQUIRE(backup->entries.size() == 1);
  CHECK(backup->entries[0].value == "/backups/with spaces");
  CHECK(backup->entries[0].line == 17);
  CHECK_FALSE(config.section("rotate"));
  CHECK_FALSE(config.section("db"));
}

TEST_CASE("config: CRLF line endings are read like LF") {
  auto config = ops::Config::parse("x.conf", "[df]\r\nwarn = 80%\r\n");
  REQUIRE(config.section("df"));
  REQUIRE(config.section("df")->entries.size() == 1);
  CHECK(config.section("df")->entries[0].value == "80%");
}

TEST_CASE("config: db.NAME section lookups") {
  auto config = ops::Config::parse("/etc/ops/ops.conf", kExample);
  auto app = config.database("app");
  REQUIRE(app);
  CHECK(app->name == "app");
  CHECK(app->dsn == "postgresql://backup@localhost/patient_input?sslmode=require");  // '=' inside a value
  CHECK(app->password_file == "/etc/ops/app.pass");
  auto cases = config.database("cases");
  REQUIRE(cases);
  CHECK(cases->dsn == "mysql://backup@db2:3306/cases");
  CHECK(cases->password_file.empty());
  CHECK_FALSE(config.database("missing"));
  CHECK_FALSE(config.database("df"));
  CHECK(config.database_names() == std::vector<std::string>{"app", "cases"});
}

TEST_CASE("config: an empty file is an empty configuration") {
  auto config = ops::Config::parse("empty.conf", "");
  CHECK_FALSE(config.section("df"));
  CHECK(config.database_names().empty());
  auto comments = ops::Config::parse("comments.conf", "# nothing\n\n; here\n");
  CHECK(comments.database_names().empty());
}

TEST_CASE("config: errors name the file and the line") {
  const std::string f = "/etc/ops/test.conf";
  SECTION("a NUL byte, which would cut the value short, even in a comment") {
    using namespace std::string_literals;
    CHECK(parse_error("[db.app]\ndsn = sqlite:///x.db\0hidden\n"s) == f + ":2: contains a NUL byte (is this a text file?)");
    CHECK(parse_error("[df]\n# \0\n"s) == f + ":2: contains a NUL byte (is this a text file?)");
  }
  SECTION("unknown key in a db section") {
    auto msg = parse_error("[db.app]\ndsn = sqlite:///x.db\npasword_file = /p\n");
    CHECK_THAT(msg, Catch::Matchers::StartsWith(f + ":3: "));
    CHECK_THAT(msg, Catch::Matchers::Contains("'pasword_file'"));
  }
  SECTION("db section without dsn names the section's line") {
    auto msg = parse_error("[df]\nwarn = 80%\n\n[db.app]\npassword_file = /p\n");
    CHECK_THAT(msg, Catch::Matchers::StartsWith(f + ":4: "));
    CHECK_THAT(msg, Catch::Matchers::Contains("[db.app]"));
    CHECK_THAT(msg, Catch::Matchers::Contains("dsn"));
  }
  SECTION("a key repeated in a db section") {
    auto msg = parse_error("[db.app]\ndsn = sqlite:///a.db\ndsn = sqlite:///b.db\n");
    CHECK_THAT(msg, Catch::Matchers::StartsWith(f + ":3: "));
  }
  SECTION("a malformed DSN, or one holding a password, names file, line, key and DSN") {
    CHECK(parse_error("[db.app]\n\ndsn = notadsn://foo\n") ==
          f + ":3: dsn: invalid DSN 'notadsn://foo': unknown scheme 'notadsn' "
              "(expected postgresql://, mysql://, mariadb:// or sqlite:///)");
    CHECK(parse_error("[db.app]\ndsn = postgresql://u:secret@h/db\n") ==
          f + ":2: dsn: invalid DSN 'postgresql://u:***@h/db': a password may not be written in a DSN");
    CHECK(parse_error("[db.app]\ndsn = postgresql://u@h/db?sslmode=bogus\n").starts_with(
        f + ":2: dsn: invalid DSN 'postgresql://u@h/db?sslmode=bogus': invalid sslmode 'bogus'"));
  }
  SECTION("duplicate section") {
    auto msg = parse_error("[df]\nwarn = 1%\n[backup]\n[df]\n");
    CHECK_THAT(msg, Catch::Matchers::StartsWith(f + ":4: "));
    CHECK_THAT(msg, Catch::Matchers::Contains("[df]"));
  }
  SECTION("key outside any section") {
    auto msg = parse_error("# leading comment\nwarn = 80%\n[df]\n");
    CHECK_THAT(msg, Catch::Matchers::StartsWith(f + ":2: "));
    CHECK_THAT(msg, Catch::Matchers::Contains("'warn'"));
  }
  SECTION("a line that is neither a header nor key = value") {
    auto msg = parse_error("[df]\nwarn 80%\n");
    CHECK_THAT(msg, Catch::Matchers::StartsWith(f + ":2: "));
    CHECK_THAT(msg, Catch::Matchers::Contains("warn 80%"));
  }
  SECTION("unterminated section header") {
    auto msg = parse_error("[df]\nwarn = 1%\n[backup\n");
    CHECK_THAT(msg, Catch::Matchers::StartsWith(f + ":3: "));
    CHECK_THAT(msg, Catch::Matchers::Contains("[backup"));
  }
  SECTION("invalid names") {
    CHECK_THAT(parse_error("[]\n"), Catch::Matchers::StartsWith(f + ":1: "));
    CHECK_THAT(parse_error("[my section]\n"), Catch::Matchers::StartsWith(f + ":1: "));
    CHECK_THAT(parse_error("[df]\nbad key = 1\n"), Catch::Matchers::StartsWith(f + ":2: "));
    CHECK_THAT(parse_error("[df]\n= 1\n"), Catch::Matchers::StartsWith(f + ":2: "));
  }
  SECTION("a database section needs a name") {
    CHECK_THAT(parse_error("[db]\ndsn = x\n"), Catch::Matchers::StartsWith(f + ":1: "));
    CHECK_THAT(parse_error("[db.]\ndsn = x\n"), Catch::Matchers::StartsWith(f + ":1: "));
  }
}

TEST_CASE("config: where() names the file and line") {
  CHECK(ops::Config::parse("/etc/ops/ops.conf", "").where(12) == "/etc/ops/ops.conf:12");
  CHECK(ops::Config().where(3) == "<config>:3");
}

TEST_CASE("config: load reads an explicit file before OPS_CONFIG") {
  TempDir dir;
  auto explicit_file = dir.write("explicit.conf", "[df]\nwarn = 70%\n");
  auto env_file = dir.write("env.conf", "[df]\nwarn = 60%\n");

  SECTION("an explicit path") {
    EnvGuard env("OPS_CONFIG", nullptr);
    auto config = ops::Config::load(explicit_file.string());
    CHECK(config.path() == explicit_file);
    REQUIRE(config.section("df"));
    CHECK(config.section("df")->entries.at(0).value == "70%");
  }
  SECTION("OPS_CONFIG when no path is given") {
    EnvGuard env("OPS_CONFIG", env_file.c_str());
    auto config = ops::Config::load("");
    CHECK(config.path() == env_file);
    REQUIRE(config.section("df"));
    CHECK(config.section("df")->entries.at(0).value == "60%");
  }
  SECTION("the explicit path wins over OPS_CONFIG") {
    EnvGuard env("OPS_CONFIG", env_file.c_str());
    CHECK(ops::Config::load(explicit_file.string()).path() == explicit_file);
  }
  SECTION("errors in a loaded file name that file") {
    auto bad = dir.write("bad.conf", "[df]\n\nnonsense\n");
    try {
      ops::Config::load(bad.string());
      FAIL("accepted");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
      CHECK_THAT(e.what(), Catch::Matchers::StartsWith(bad.string() + ":3: "));
    }
  }
}

TEST_CASE("config: a named file that does not exist is an exit-3 error") {
  TempDir dir;
  auto missing = (dir.path() / "missing.conf").string();
  SECTION("explicit") {
    EnvGuard env("OPS_CONFIG", nullptr);
    try {
      ops::Config::load(missing);
      FAIL("accepted");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
      CHECK_THAT(e.what(), Catch::Matchers::Contains(missing));
      CHECK_FALSE(e.hint().empty());
    }
  }
  SECTION("OPS_CONFIG") {
    EnvGuard env("OPS_CONFIG", missing.c_str());
    try {
      ops::Config::load("");
      FAIL("accepted");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
      CHECK_THAT(e.what(), Catch::Matchers::Contains(missing));
    }
  }
}
