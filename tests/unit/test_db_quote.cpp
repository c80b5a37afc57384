// Quoting without a server: identifiers and placeholders per engine, the
// expansion of MySQL ? placeholders, and SQLite's driver quoting of literals.

#include <ops/db.hpp>

#include "../../libcommon/src/db_drivers.hpp"  // the MySQL expansion is private to libcommon

#include <catch2/catch.hpp>

#include "support.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using ops::db::Engine;
using ops::db::Param;
using ops::db::quote_identifier;

TEST_CASE("db: identifiers are quoted per engine", "[db]") {
  CHECK(quote_identifier(Engine::postgresql, "users") == "\"users\"");
  CHECK(quote_identifier(Engine::postgresql, "a\"b") == "\"a\"\"b\"");
  CHECK(quote_identifier(Engine::postgresql, "Mixed Case`x") == "\"Mixed Case`x\"");
  CHECK(quote_identifier(Engine::sqlite, "a\"b") == "\"a\"\"b\"");
  CHECK(quote_identifier(Engine::mysql, "users") == "`users`");
  CHECK(quote_identifier(Engine::mysql, "a`b") == "`a``b`");
  CHECK(quote_identifier(Engine::mysql, "a\"b") == "`a\"b`");
  CHECK(quote_identifier(Engine::mysql, "``") == "``````");
  CHECK(quote_identifier(Engine::postgresql, "caf\xC3\xA9") == "\"caf\xC3\xA9\"");

  CHECK(quote_identifier(Engine::postgresql, "public", "my\"table") == "\"public\".\"my\"\"table\"");
  CHECK(quote_identifier(Engine::mysql, "app", "a.b") == "`app`.`a.b`");
  CHECK(quote_identifier(Engine::sqlite, "main", "t") == "\"main\".\"t\"");
}

TEST_CASE("db: bad identifiers are refused", "[db]") {
  auto message = [](Engine e, std::string_view name) -> std::string {
    try {
      quote_identifier(e, name);
    } catch (const ops::Error& err) {
      CHECK(err.status() == ops::Status::unknown);
      return err.what();
    }
    FAIL("accepted an identifier it should refuse");
    return {};
  };
  CHECK(message(Engine::postgresql, "") == "empty SQL identifier");
  CHECK(message(Engine::mysql, std::string_view("a\0b", 3)) == "SQL identifier contains a NUL byte");
  CHECK_THROWS_AS(quote_identifier(Engine::sqlite, "", "t"), ops::Error);
}

TEST_CASE("db: placeholders", "[db]") {
  CHECK(ops::db::placeholder(Engine::postgresql, 1) == "$1");
  CHECK(ops::db::placeholder(Engine::postgresql, 12) == "$12");
  CHECK(ops::db::placeholder(Engine::mysql, 3) == "?");
  CHECK(ops::db::placeholder(Engine::sqlite, 3) == "?");
  CHECK_THROWS_AS(ops::db::placeholder(Engine::postgresql, 0), ops::Error);
}

TEST_CASE("db: parameters", "[db]") {
  CHECK(Param(std::nullopt).is_null());
  CHECK(Param(static_cast<const char*>(nullptr)).is_null());
  CHECK(Param("x").kind() == Param::Kind::text);
  CHECK(Param(std::string("x")).text() == "x");
  CHECK(Param(42).kind() == Param::Kind::integer);
  CHECK(Param(-42L).as_text() == "-42");
  CHECK(Param(0.5).as_text() == "0.5");
  CHECK(Param(std::optional<int>()).is_null());
  CHECK(Param(std::optional<int>(7)).as_text() == "7");
  CHECK_THROWS_AS(Param(std::numeric_limits<std::uint64_t>::max()), ops::Error);
  CHECK_THROWS_AS(Param(std::numeric_limits<double>::infinity()).as_text(), ops::Error);
}

TEST_CASE("db: MySQL ? placeholders are filled outside quotes and comments", "[db]") {
  // A stand-in for mysql_real_escape_string: marks what it quoted.
  auto quote = [](std::string_view v) { return "<" + std::string(v) + ">"; };
  auto expand = [&](std::string_view sql, std::vector<Param> params) {
    return ops::db::mysql_expand_placeholders(sql, params, quote);
  };
  CHECK(expand("SELECT ?, ?, ?, ?", {"a'b", 7, std::nullopt, 1.5}) == "SELECT <a'b>, 7, NULL, 1.5");
  CHECK(expand("SELECT x-?", {-1}) == "SELECT x-(-1)");
  CHECK(expand("SELECT '?', \"?\", `?`, ?", {"v"}) == "SELECT '?', \"?\", `?`, <v>");
  CHECK(expand("SELECT 'it''s ?', 'a\\'?', ?", {"v"}) == "SELECT 'it''s ?', 'a\\'?', <v>");
  CHECK(expand("SELECT ? -- what?\n, ? # why?\n, /* ? */ ?", {1, 2, 3}) ==
        "SELECT 1 -- what?\n, 2 # why?\n, /* ? */ 3");
  CHECK(expand("SELECT 1--?", {"v"}) == "SELECT 1--<v>");  // "--" needs a space to start a comment
  CHECK(expand("no placeholders", {}) == "no placeholders");
  CHECK_THROWS_WITH(expand("SELECT ?, ?", {1}),
                    Catch::Contains("the statement has 2 placeholders (?) but 1 parameters were given"));
  CHECK_THROWS_AS(expand("SELECT '?'", {1}), ops::Error);
}

TEST_CASE("db: SQLite quotes literals through the driver", "[db]") {
  ops::test::TempDir dir("ops-test-db-quote");
  {
    auto db = ops::db::connect(ops::db::parse_dsn("sqlite://" + (dir.path() / "q.db").string() + "?mode=rwc"));
    CHECK(db->quote_literal("plain") == "'plain'");
    CHECK(db->quote_literal("it's") == "'it''s'");
    CHECK(db->quote_literal("back\\slash") == "'back\\slash'");
    CHECK(db->quote_literal("") == "''");
    CHECK_THROWS_AS(db->quote_literal(std::string_view("a\0b", 3)), ops::Error);
    for (std::string v : {"it's", "a''b'", "\xE2\x9C\x93 caf\xC3\xA9", "x\\'y", "?"})
      CHECK(db->query_value("SELECT " + db->quote_literal(v)) == v);
    CHECK(db->quote_identifier("a\"b") == "\"a\"\"b\"");
  }
}
