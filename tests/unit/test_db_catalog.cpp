// The catalogue's pure parts: table names for messages and SQL
// (tests/integration/db_drivers_test.cpp checks the one rule on real servers).

#include <ops/db_catalog.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using ops::db::Engine;
using ops::db::TableName;

TEST_CASE("db catalogue: a table name is shown plain and quoted per engine", "[db]") {
  const TableName bare{"", "audit logs"};
  const TableName qualified{"archive", "a\"b`c"};
  CHECK(bare.display() == "audit logs");
  CHECK(qualified.display() == "archive.a\"b`c");
  CHECK(bare.quoted(Engine::postgresql) == "\"audit logs\"");
  CHECK(qualified.quoted(Engine::postgresql) == "\"archive\".\"a\"\"b`c\"");
  CHECK(qualified.quoted(Engine::mysql) == "`archive`.`a\"b``c`");
  CHECK(qualified.quoted(Engine::sqlite) == "\"archive\".\"a\"\"b`c\"");
}
