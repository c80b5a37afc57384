// The statements a transaction begins with, per engine and mode, without a
// server (tests/integration/db_drivers_test.cpp runs them on real ones).

#include <ops/db.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using ops::db::begin_statements;
using ops::db::Engine;
using ops::db::TransactionMode;
using Statements = std::vector<std::string>;

TEST_CASE("db: a standard transaction begins as each engine spells it", "[db]") {
  CHECK(begin_statements(Engine::postgresql, TransactionMode::standard) == Statements{"BEGIN"});
  CHECK(begin_statements(Engine::mysql, TransactionMode::standard) == Statements{"START TRANSACTION"});
  CHECK(begin_statements(Engine::sqlite, TransactionMode::standard) == Statements{"BEGIN"});
}

TEST_CASE("db: only SQLite takes a write lock at BEGIN; the others lock the rows they select", "[db]") {
  CHECK(begin_statements(Engine::sqlite, TransactionMode::immediate) == Statements{"BEGIN IMMEDIATE"});
  CHECK(begin_statements(Engine::postgresql, TransactionMode::immediate) == Statements{"BEGIN"});
  CHECK(begin_statements(Engine::mysql, TransactionMode::immediate) == Statements{"START TRANSACTION"});
}

TEST_CASE("db: a snapshot is read-only, repeatable and fixed when the transaction begins", "[db]") {
  CHECK(begin_statements(Engine::postgresql, TransactionMode::snapshot) ==
        Statements{"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "SELECT 1"});
  // A server whose default is READ COMMITTED would ignore WITH CONSISTENT SNAPSHOT.
  CHECK(begin_statements(Engine::mysql, TransactionMode::snapshot) ==
        Statements{"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                   "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"});
  CHECK(begin_statements(Engine::sqlite, TransactionMode::snapshot) ==
        Statements{"BEGIN", "SELECT count(*) FROM sqlite_schema"});
}
