// opsdb check without a server: CHECK TABLE's result rows, SQLite problems
// named by their table, and the verb on real SQLite files, healthy and
// damaged (a page of an index overwritten, the free-page list broken, a
// row whose parent is gone). tests/integration/opsdb_check.sh runs it on
// PostgreSQL (amcheck) and MariaDB.
#include "opsdb/upkeep/check.hpp"

#include <ops/db.hpp>
#include <ops/db_catalog.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <fstream>

using opsdb::TableOutcome;
using opsdb::check::MysqlRow;
using ops::Status;

namespace {

std::unique_ptr<ops::db::Connection> open_sqlite(const std::filesystem::path& file) {
  return ops::db::connect(ops::db::parse_dsn("sqlite://" + file.string() + "?mode=rwc"));
}

// A SQLite file of the tests: table t (2000 rows, an index on b), table u,
// and what `more` adds.
void make_db(const std::filesystem::path& file, const std::vector<std::string>& more = {}) {
  auto db = open_sqlite(file);
  db->execute("PRAGMA page_size = 4096");
  db->execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)");
  db->execute("CREATE INDEX t_b ON t (b)");
  db->execute("CREATE TABLE u (x INTEGER PRIMARY KEY, y TEXT)");
  db->execute(
      "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) "
      "INSERT INTO t SELECT i, printf('value-%08d', i) FROM c");
  db->execute("INSERT INTO u VALUES (1, 'one')");
  for (const auto& sql : more) db->execute(sql);
}

// Overwrites page `page` (1-based) of the file with a pattern no b-tree page has.
void scribble(const std::filesystem::path& file, std::int64_t page, std::int64_t at = 0, std::string bytes = {}) {
  if (bytes.empty()) bytes = std::string(4096, '\x5a');
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp((page - 1) * 4096 + at);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::int64_t root_page(const std::filesystem::path& file, const std::string& name) {
  auto db = open_sqlite(file);
  return std::stoll(*db->query_value("SELECT rootpage FROM sqlite_schema WHERE name = ?", {name}));
}

TableOutcome check(const std::filesystem::path& file) {
  auto db = open_sqlite(file);
  return opsdb::check_verb().run(*db, ops::db::Table{{"main", "(database)"}, {}, {}}, {});
}

}  // namespace

TEST_CASE("check: CHECK TABLE rows become one outcome", "[opsdb]") {
  TableOutcome ok = opsdb::check::mysql_outcome({{"status", "OK"}});
  CHECK(ok.status == Status::ok);
  CHECK(ok.result == "ok");
  CHECK(ok.detail.empty());

  // MEMORY and other engines that cannot check: said, not failed.
  TableOutcome memory = opsdb::check::mysql_outcome(
      {{"note", "The storage engine for the table doesn't support check"}});
  CHECK(memory.status == Status::ok);
  CHECK(memory.result == "not-checkable");
  CHECK(memory.detail == "note: The storage engine for the table doesn't support check");

  // What the storage engine found: corrupt, every row said.
  TableOutcome corrupt = opsdb::check::mysql_outcome(
      {{"error", "Size of datafile is:     39900         Should be: 40000"}, {"error", "Corrupt"}});
  CHECK(corrupt.status == Status::critical);
  CHECK(corrupt.result == "corrupt");
  CHECK(corrupt.detail == "error: Size of datafile is: 39900 Should be: 40000; error: Corrupt");

  // The statement itself failed: not corruption, still critical.
  TableOutcome failed = opsdb::check::mysql_outcome(
      {{"Error", "Table 'app.gone' doesn't exist"}, {"status", "Operation failed"}});
  CHECK(failed.status == Status::critical);
  CHECK(failed.result == "failed");
  CHECK(failed.detail == "error: Table 'app.gone' doesn't exist");

  TableOutcome warned = opsdb::check::mysql_outcome(
      {{"warning", "1 client is using or hasn't closed the table properly"}, {"status", "OK"}});
  CHECK(warned.status == Status::warning);
  CHECK(warned.result == "ok");

  // A lock not had in time is the runner's "skipped", not a failed check.
  CHECK_THROWS_AS(opsdb::check::mysql_outcome({{"Error", "Lock wait timeout exceeded; try restarting transaction"},
                                               {"status", "Operation failed"}}),
                  ops::db::SqlError);
}

TEST_CASE("check: CHECK TABLE statements name their lock", "[opsdb]") {
  const ops::db::Table t{{"app", "cases"}, {}, "MyISAM"};
  opsdb::VerbOptions extended;
  extended.extended = true;
  CHECK(opsdb::check_verb().statements(ops::db::Engine::mysql, t, {}) ==
        std::vector<std::string>{"-- a READ lock: writes to app.cases wait until the check ends", "CHECK TABLE `app`.`cases`"});
  CHECK(opsdb::check_verb().statements(ops::db::Engine::mysql, t, extended).back() == "CHECK TABLE `app`.`cases` EXTENDED");
  CHECK(opsdb::check_verb().statements(ops::db::Engine::postgresql, t, extended) ==
        std::vector<std::string>{"-- for each B-tree index of app.cases and of its TOAST table:",
                                 "SELECT bt_index_check(INDEX, true)", "-- PostgreSQL 14 and later:",
                                 "SELECT * FROM verify_heapam('\"app\".\"cases\"'::regclass, check_toast => true)"});
  CHECK(opsdb::check_verb().whole_database(ops::db::Engine::sqlite));
  CHECK_FALSE(opsdb::check_verb().whole_database(ops::db::Engine::postgresql));
  CHECK_FALSE(opsdb::check_verb().unsupported(ops::db::Engine::mysql));
}

TEST_CASE("check: SQLite problems are named by the table whose own check says the same", "[opsdb]") {
  const auto problems = opsdb::check::attribute(
      {"*** in database main ***", "Page 3: btreeInitPage() returns error code 11", "Page 6 is never used"},
      {{"t", {"*** in database main ***", "Page 3: btreeInitPage() returns error code 11"}}, {"u", {"ok"}}});
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].table == "t");
  CHECK(problems[1].table.empty());
  CHECK(opsdb::check::attribute({"ok"}, {}).empty());

  // Unused pages, by the hundred once a page is lost: one line of ranges.
  const TableOutcome lost = opsdb::check::sqlite_outcome(
      {{"t", "Page 3: btreeInitPage() returns error code 11"}, {"", "Page 5 is never used"},
       {"", "Page 6 is never used"}, {"", "Page 7 is never used"}, {"", "Page 10 is never used"},
       {"t", "database disk image is malformed"}},
      {});
  CHECK(lost.detail ==
        "integrity_check found 6 problems: table t: Page 3: btreeInitPage() returns error code 11; "
        "file: pages never used: 5-7, 10; table t: database disk image is malformed");

  const TableOutcome out = opsdb::check::sqlite_outcome(problems, {});
  CHECK(out.status == Status::critical);
  CHECK(out.result == "corrupt");
  CHECK(out.detail ==
        "integrity_check found 2 problems: table t: Page 3: btreeInitPage() returns error code 11; "
        "file: Page 6 is never used");

  const TableOutcome orphans = opsdb::check::sqlite_outcome(
      {}, {{"orders", "5", "customers"}, {"orders", "7", "customers"}, {"lines", "1", "orders"}});
  CHECK(orphans.status == Status::warning);
  CHECK(orphans.result == "ok");
  CHECK(orphans.detail ==
        "foreign_key_check: 1 row of lines with no parent row in orders (rowid 1); "
        "foreign_key_check: 2 rows of orders with no parent row in customers (rowid 5, 7)");
}

TEST_CASE("check: a healthy SQLite file is ok", "[opsdb]") {
  ops::test::TempDir dir;
  const auto file = dir.path() / "app.db";
  make_db(file);
  const TableOutcome out = check(file);
  CHECK(out.status == Status::ok);
  CHECK(out.result == "ok");
  CHECK(out.detail == "integrity_check and foreign_key_check: ok");
}

TEST_CASE("check: a damaged index page of a SQLite file is corruption of its table", "[opsdb]") {
  ops::test::TempDir dir;
  const auto file = dir.path() / "app.db";
  make_db(file);
  scribble(file, root_page(file, "t_b"));
  const TableOutcome out = check(file);
  CHECK(out.status == Status::critical);
  CHECK(out.result == "corrupt");
  INFO(out.detail);
  CHECK(out.detail.starts_with("integrity_check found "));
  CHECK(out.detail.find("table t: Page ") != std::string::npos);
  CHECK(out.detail.find("table u: ") == std::string::npos);
}

TEST_CASE("check: a broken free-page list, which no table's own check sees, is found", "[opsdb]") {
  ops::test::TempDir dir;
  const auto file = dir.path() / "app.db";
  // Free pages: a dropped table's.
  make_db(file, {"CREATE TABLE gone (x BLOB)"});
  {
    auto db = open_sqlite(file);
    db->execute("INSERT INTO gone SELECT randomblob(3000) FROM t LIMIT 50");
    db->execute("DROP TABLE gone");
    REQUIRE(db->query_value("PRAGMA freelist_count") != "0");
  }
  // The header's first free page (offset 32) made 0: the free pages are lost.
  scribble(file, 1, 32, std::string(4, '\0'));
  const TableOutcome out = check(file);
  CHECK(out.status == Status::critical);
  CHECK(out.result == "corrupt");
  INFO(out.detail);
  CHECK(out.detail.find("file: Main freelist: ") != std::string::npos);
  CHECK(out.detail.find("table ") == std::string::npos);
}

TEST_CASE("check: rows whose parent row is gone are a warning", "[opsdb]") {
  ops::test::TempDir dir;
  const auto file = dir.path() / "app.db";
  make_db(file, {"CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER REFERENCES u (x))",
                 "INSERT INTO orders VALUES (1, 1), (2, 42)"});
  const TableOutcome out = check(file);
  CHECK(out.status == Status::warning);
  CHECK(out.result == "ok");
  CHECK(out.detail == "foreign_key_check: 1 row of orders with no parent row in u (rowid 2)");
}
