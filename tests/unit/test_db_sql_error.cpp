// A failed statement's message names the database; its server message is
// the server's own words, for a line that names the database already.
#include <ops/db.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

TEST_CASE("db: a failed statement's server message is the server's words alone", "[db]") {
  ops::test::TempDir dir;
  // ": " in the file's name: the message cannot be cut at the first one.
  auto db = ops::db::connect(ops::db::parse_dsn("sqlite://" + (dir.path() / "a%3A%20b.db").string() + "?mode=rwc"));
  REQUIRE(std::filesystem::exists(dir.path() / "a: b.db"));
  try {
    db->execute("SELECT * FROM nosuch");
    FAIL("the statement failed");
  } catch (const ops::db::SqlError& e) {
    CHECK(std::string(e.what()) == "SQL error on " + db->describe() + ": no such table: nosuch");
    CHECK(e.server_message() == "no such table: nosuch");
  }
  // An error made elsewhere: its message.
  CHECK(ops::db::SqlError("canceling statement due to lock timeout", "55P03").server_message() ==
        "canceling statement due to lock timeout");
}
