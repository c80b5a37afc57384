// The catalogue's pure parts: table names for messages and SQL, and the
// upkeep statements of each engine (tests/integration/db_drivers_test.cpp
// runs them, and the one rule, on real servers).

#include <ops/db_catalog.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using ops::db::Engine;
using ops::db::maintenance_statements;
using ops::db::TableName;
using Statements = std::vector<std::string>;

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

TEST_CASE("db catalogue: upkeep statements per engine", "[db]") {
  const TableName t{"", "events"};
  const ops::db::Maintenance both{.analyze = true, .optimize = true};
  const ops::db::Maintenance analyze{.analyze = true, .optimize = false};
  const ops::db::Maintenance optimize{.analyze = false, .optimize = true};

  // PostgreSQL's VACUUM (ANALYZE) does both in one pass; optimizing analyzes too.
  CHECK(maintenance_statements(Engine::postgresql, t, both) == Statements{"VACUUM (ANALYZE) \"events\""});
  CHECK(maintenance_statements(Engine::postgresql, t, optimize) == Statements{"VACUUM (ANALYZE) \"events\""});
  CHECK(maintenance_statements(Engine::postgresql, t, analyze) == Statements{"ANALYZE \"events\""});

  CHECK(maintenance_statements(Engine::mysql, t, both) == Statements{"OPTIMIZE TABLE `events`", "ANALYZE TABLE `events`"});
  CHECK(maintenance_statements(Engine::mysql, t, analyze) == Statements{"ANALYZE TABLE `events`"});
  CHECK(maintenance_statements(Engine::mysql, t, optimize) == Statements{"OPTIMIZE TABLE `events`"});

  // SQLite vacuums the whole file: it has no VACUUM of one table.
  CHECK(maintenance_statements(Engine::sqlite, t, both) == Statements{"VACUUM", "ANALYZE \"events\""});
  CHECK(maintenance_statements(Engine::sqlite, t, optimize) == Statements{"VACUUM"});

  CHECK(maintenance_statements(Engine::postgresql, t, {}).empty());
  CHECK(maintenance_statements(Engine::mysql, t, {}).empty());
  CHECK(maintenance_statements(Engine::sqlite, t, {}).empty());
}
