// The database drivers against real servers: PostgreSQL and MariaDB from
// scripts/test-servers (OPS_TEST_PG_DSN, OPS_TEST_PG_PASSWORD_FILE,
// OPS_TEST_MYSQL_DSN, OPS_TEST_MYSQL_PASSWORD_FILE), and SQLite files in a
// scratch directory. Without the servers' environment every case fails.

#include "server_test_support.hpp"
#include <ops/db.hpp>
#include <ops/db_catalog.hpp>

#include "opsdf/db/table_sizes.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using ops::db::Connection;
using ops::db::Engine;
using ops::db::Param;

namespace {

using ops::test::required_env;

const fs::path& scratch() { return ops::test::scratch_dir("db-drivers"); }

fs::path write_file(const std::string& name, const std::string& content) {
  fs::path p = scratch() / name;
  std::ofstream(p) << content;
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  return p;
}

std::string dsn_text(Engine engine) {
  switch (engine) {
    case Engine::postgresql: return required_env("OPS_TEST_PG_DSN");
    case Engine::mysql: return required_env("OPS_TEST_MYSQL_DSN");
    case Engine::sqlite: break;
  }
  static int n = 0;
  return "sqlite://" + (scratch() / fmt::format("test{}.db", ++n)).string() + "?mode=rwc";
}

ops::db::ConnectOptions options_for(Engine engine) {
  static ops::Warnings warnings;  // a password file the others may read (none here)
  ops::db::ConnectOptions o;
  o.warnings = &warnings;
  o.application_name = "ops-db-test";
  if (engine == Engine::postgresql) o.password_file = required_env("OPS_TEST_PG_PASSWORD_FILE");
  if (engine == Engine::mysql) o.password_file = required_env("OPS_TEST_MYSQL_PASSWORD_FILE");
  return o;
}

std::unique_ptr<Connection> open(Engine engine) {
  return ops::db::connect(ops::db::parse_dsn(dsn_text(engine)), options_for(engine));
}

// A table name of this process, so parallel runs on the same servers never meet.
std::string table_name(std::string_view what) { return fmt::format("ops_dbtest_{}_{}", ::getpid(), what); }

// Drops the table when the test ends, however it ends.
class ScratchTable {
 public:
  ScratchTable(Connection& c, std::string name, std::string_view columns) : c_(c), name_(std::move(name)) {
    c_.execute("DROP TABLE IF EXISTS " + quoted());
    c_.execute("CREATE TABLE " + quoted() + " (" + std::string(columns) + ")");
  }
  ~ScratchTable() {
    try {
      c_.execute("DROP TABLE IF EXISTS " + quoted());
    } catch (...) {
    }
  }
  ScratchTable(const ScratchTable&) = delete;
  ScratchTable& operator=(const ScratchTable&) = delete;
  std::string quoted() const { return c_.quote_identifier(name_); }
  const std::string& name() const { return name_; }

 private:
  Connection& c_;
  std::string name_;
};

std::int64_t count_rows(Connection& c, const ScratchTable& t) {
  auto n = c.query_value("SELECT count(*) FROM " + t.quoted());
  REQUIRE(n);
  return std::stoll(*n);
}

// ?, ? ... or $1, $2 ...
std::string placeholders(Engine e, int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) out += (i > 1 ? ", " : "") + ops::db::placeholder(e, i);
  return out;
}

// The message of the ops::Error f throws.
template <typename F>
ops::Error error_of(F&& f) {
  try {
    f();
  } catch (const ops::Error& e) {
    return e;
  }
  FAIL("no ops::Error was thrown");
  throw std::logic_error("unreachable");
}

#define FOR_EACH_ENGINE(e)                                                   \
  const Engine e = GENERATE(Engine::postgresql, Engine::mysql, Engine::sqlite); \
  INFO("engine: " << ops::db::engine_name(e))

}  // namespace

TEST_CASE("db drivers: connect with the password file", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  const auto dsn = ops::db::parse_dsn(dsn_text(engine));
  auto c = ops::db::connect(dsn, options_for(engine));
  CHECK(c->engine() == engine);
  CHECK(c->describe() == dsn.display());
  if (engine != Engine::sqlite) CHECK(c->describe() == dsn.uri);
  const std::string version = c->server_version();
  INFO("server version " << version);
  if (engine == Engine::postgresql) CHECK(version.starts_with("15."));
  if (engine == Engine::mysql) CHECK_THAT(version, Catch::Contains("MariaDB"));
  if (engine == Engine::sqlite) CHECK(version.starts_with("3."));
  CHECK(c->query_value("SELECT 1") == "1");
  if (engine == Engine::postgresql)
    CHECK(c->query_value("SELECT current_setting('application_name')") == "ops-db-test");
}

TEST_CASE("db drivers: bound parameters round-trip exactly", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  ScratchTable t(*c, table_name("params"), "id integer PRIMARY KEY, txt text, n bigint, r double precision");
  const std::vector<std::optional<std::string>> texts{
      "O'Reilly",
      "back\\slash \\' \\\\ end\\",
      "double \"quote\" and `backtick`",
      "\xC3\xBCn\xC3\xAF\x63\xC3\xB8\x64\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC",
      "? $1 :name -- not a comment /* nor this */ # nor this",
      "",
      std::nullopt,
      "line1\nline2\ttab\r\n",
      "x'); DROP TABLE t; --",
  };
  const std::vector<std::optional<std::int64_t>> numbers{0, -1, std::numeric_limits<std::int64_t>::max(),
                                                         std::numeric_limits<std::int64_t>::min(), std::nullopt,
                                                         42, 7, 8, 9};
  const std::vector<std::optional<double>> reals{0.1, -2.5e300, std::nullopt, 1.0, 0.0, 3.25, 1e-300, 2.0, 3.0};
  const std::string insert = "INSERT INTO " + t.quoted() + " VALUES (" + placeholders(engine, 4) + ")";
  for (std::size_t i = 0; i < texts.size(); ++i)
    CHECK(c->execute(insert, {static_cast<int>(i), texts[i], numbers[i], reals[i]}) == 1);

  auto cursor = c->query("SELECT id, txt, n, r FROM " + t.quoted() + " ORDER BY id");
  REQUIRE(cursor->columns() == 4);
  CHECK(cursor->column_name(0) == "id");
  CHECK(cursor->column_name(3) == "r");
  std::size_t i = 0;
  while (cursor->next()) {
    INFO("row " << i);
    REQUIRE(i < texts.size());
    CHECK(cursor->get_int64(0) == static_cast<std::int64_t>(i));
    auto txt = cursor->get(1);
    CHECK(txt.has_value() == texts[i].has_value());
    if (txt && texts[i]) CHECK(std::string(*txt) == *texts[i]);
    CHECK(cursor->is_null(2) == !numbers[i]);
    if (numbers[i]) CHECK(cursor->get_int64(2) == *numbers[i]);
    if (reals[i]) CHECK(cursor->get_double(3) == *reals[i]);
    ++i;
  }
  CHECK(i == texts.size());
  cursor.reset();

  // Values in WHERE clauses, and NULL handling.
  CHECK(c->query_value("SELECT count(*) FROM " + t.quoted() + " WHERE txt = " + ops::db::placeholder(engine, 1),
                       {"O'Reilly"}) == "1");
  CHECK(c->query_value("SELECT id FROM " + t.quoted() + " WHERE txt = " + ops::db::placeholder(engine, 1),
                       {*texts[3]}) == "3");
  CHECK(c->query_value("SELECT count(*) FROM " + t.quoted() + " WHERE txt IS NULL") == "1");
  CHECK(c->query_value("SELECT count(*) FROM " + t.quoted() + " WHERE txt = ''") == "1");
  CHECK(c->query_value("SELECT txt FROM " + t.quoted() + " WHERE id = 6") == std::nullopt);
  CHECK_THROWS_WITH(c->query("SELECT txt FROM " + t.quoted() + " WHERE id = 6")->get_string(0),
                    Catch::Contains("no current row"));
  CHECK(count_rows(*c, t) == 9);  // the injection attempt was stored, not run

  // execute() counts the rows it changed.
  CHECK(c->execute("DELETE FROM " + t.quoted() + " WHERE id >= " + ops::db::placeholder(engine, 1), {6}) == 3);
  CHECK(c->execute("DELETE FROM " + t.quoted() + " WHERE id > 100") == 0);
}

TEST_CASE("db drivers: cursors stream large results", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  constexpr std::int64_t rows = 50000;
  const std::string sql =
      engine == Engine::postgresql
          ? "SELECT g, 'padding padding padding padding padding' FROM generate_series(1, $1::int) g"
          : "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?) "
            "SELECT n, 'padding padding padding padding padding' FROM s";
  if (engine == Engine::mysql) c->execute("SET SESSION max_recursive_iterations = 1000000");
  std::int64_t n = 0, sum = 0;
  for (auto cursor = c->query(sql, {rows}); cursor->next(); ++n) sum += cursor->get_int64(0);
  CHECK(n == rows);
  CHECK(sum == rows * (rows + 1) / 2);

  // A cursor dropped half-way leaves the connection ready for the next query.
  {
    auto cursor = c->query(sql, {rows});
    for (int k = 0; k < 10; ++k) REQUIRE(cursor->next());
    CHECK(cursor->get_int64(0) == 10);
  }
  CHECK(c->query_value("SELECT 2") == "2");

  // PostgreSQL and MySQL carry one result at a time: a second statement while
  // rows are still coming is refused with a clear message, not "out of sync".
  if (engine != Engine::sqlite) {
    auto cursor = c->query(sql, {rows});
    REQUIRE(cursor->next());
    CHECK_THROWS_WITH(c->execute("SELECT 1"), Catch::Contains("while a cursor was still reading rows"));
    while (cursor->next()) {
    }
    CHECK(c->query_value("SELECT 3") == "3");  // a finished cursor no longer blocks
  }

  // An empty result still has its columns.
  auto empty = c->query(std::string("SELECT 1 AS one, 2 AS two ") + (engine == Engine::mysql ? "FROM DUAL " : "") +
                        "WHERE 1 = 0");
  CHECK(empty->columns() == 2);
  CHECK(empty->column_name(1) == "two");
  CHECK_FALSE(empty->next());
  CHECK_FALSE(empty->next());
}

TEST_CASE("db drivers: transactions", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  ScratchTable t(*c, table_name("tx"), "id integer PRIMARY KEY, v text");
  const std::string insert = "INSERT INTO " + t.quoted() + " VALUES (" + placeholders(engine, 2) + ")";

  {
    ops::db::Transaction tx(*c);
    c->execute(insert, {1, "rolled back"});
    CHECK(count_rows(*c, t) == 1);
  }  // no commit: the guard rolls back
  CHECK(count_rows(*c, t) == 0);

  CHECK_THROWS_AS(
      [&] {
        ops::db::Transaction tx(*c);
        c->execute(insert, {2, "rolled back by the exception"});
        throw std::runtime_error("something failed half-way");
      }(),
      std::runtime_error);
  CHECK(count_rows(*c, t) == 0);

  {
    ops::db::Transaction tx(*c);
    c->execute(insert, {3, "kept"});
    tx.commit();
  }
  CHECK(count_rows(*c, t) == 1);

  c->begin();
  c->execute(insert, {4, "explicit rollback"});
  c->rollback();
  CHECK(count_rows(*c, t) == 1);

  // A failed statement inside a transaction: PostgreSQL answers COMMIT with
  // ROLLBACK, which must not pass for a commit.
  if (engine == Engine::postgresql) {
    ops::db::Transaction tx(*c);
    c->execute(insert, {5, "doomed"});
    CHECK_THROWS_AS(c->execute(insert, {5, "duplicate key"}), ops::db::SqlError);
    auto e = error_of([&] { tx.commit(); });
    CHECK_THAT(e.what(), Catch::Contains("rolled back, not committed"));
    CHECK(count_rows(*c, t) == 1);
  }
}

TEST_CASE("db drivers: an immediate transaction takes SQLite's write lock at BEGIN", "[db][integration]") {
  const std::string dsn = dsn_text(Engine::sqlite);
  auto c = ops::db::connect(ops::db::parse_dsn(dsn));
  ops::db::ConnectOptions no_wait;
  no_wait.connect_timeout = std::chrono::seconds{0};
  auto other = ops::db::connect(ops::db::parse_dsn(dsn), no_wait);
  ScratchTable t(*c, table_name("immediate"), "id integer PRIMARY KEY");
  const std::string insert = "INSERT INTO " + t.quoted() + " VALUES (?)";

  {
    ops::db::Transaction tx(*c);  // deferred: no lock until the first write
    other->execute(insert, {1});
    tx.commit();
  }
  {
    ops::db::Transaction tx(*c, ops::db::TransactionMode::immediate);
    auto e = error_of([&] { other->execute(insert, {2}); });
    CHECK_THAT(e.what(), Catch::Contains("database is locked"));
    c->execute(insert, {3});
    tx.commit();
  }
  other->execute(insert, {2});  // the lock went with the commit
  CHECK(count_rows(*c, t) == 3);
  CHECK(ops::db::begin_statements(Engine::sqlite, ops::db::TransactionMode::immediate) ==
        std::vector<std::string>{"BEGIN IMMEDIATE"});
}

TEST_CASE("db drivers: a snapshot transaction reads the database as of BEGIN", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  const std::string dsn = dsn_text(engine);
  auto c = ops::db::connect(ops::db::parse_dsn(dsn), options_for(engine));
  auto other = ops::db::connect(ops::db::parse_dsn(dsn), options_for(engine));
  if (engine == Engine::sqlite) c->execute("PRAGMA journal_mode = WAL");  // a writer beside a reader
  ScratchTable t(*c, table_name("snapshot"), "id integer PRIMARY KEY");
  const std::string insert = "INSERT INTO " + t.quoted() + " VALUES (" + ops::db::placeholder(engine, 1) + ")";
  c->execute(insert, {1});
  {
    ops::db::Transaction tx(*c, ops::db::TransactionMode::snapshot);
    other->execute(insert, {2});  // committed by another session after BEGIN
    CHECK(count_rows(*c, t) == 1);
    tx.commit();
  }
  CHECK(count_rows(*c, t) == 2);
  if (engine != Engine::sqlite) {
    ops::db::Transaction tx(*c, ops::db::TransactionMode::snapshot);
    CHECK_THROWS_AS(c->execute(insert, {3}), ops::db::SqlError);  // read only
  }
  CHECK(count_rows(*c, t) == 2);
}

TEST_CASE("db drivers: SQL errors", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  auto e = error_of([&] { c->query("SELECT * FROM ops_no_such_table WHERE x = 'secret-value'"); });
  CHECK(e.status() == ops::Status::critical);
  CHECK(std::string(e.what()).starts_with("SQL error on " + c->describe() + ": "));
  CHECK_THAT(e.what(), Catch::Contains("ops_no_such_table"));
  CHECK_THAT(e.what(), !Catch::Contains("secret-value"));
  try {
    c->execute("SELECT * FROM ops_no_such_table");
    FAIL("no error");
  } catch (const ops::db::SqlError& err) {
    if (engine == Engine::postgresql) CHECK(err.sqlstate() == "42P01");
    if (engine == Engine::mysql) CHECK(err.sqlstate() == "42S02");
  }
  CHECK_THROWS_AS(c->execute("SELECT 1 FROM"), ops::db::SqlError);
  // Errors that surface while rows are read are thrown by next().
  if (engine == Engine::postgresql) {
    auto cursor = c->query("SELECT 1 / (3 - g) FROM generate_series(1, 5) g");
    CHECK(cursor->next());
    CHECK(cursor->next());
    CHECK_THROWS_WITH(cursor->next(), Catch::Contains("division by zero"));
  }
  CHECK(c->query_value("SELECT 4") == "4");  // the connection survives its errors
  if (engine == Engine::sqlite)
    CHECK_THROWS_WITH(c->execute("SELECT 1; SELECT 2"), Catch::Contains("more than one SQL statement"));
  CHECK_THROWS_WITH(c->execute("SELECT " + placeholders(engine, 2), {1}),
                    Catch::Contains("parameters"));
}

TEST_CASE("db drivers: connection failures", "[db][integration]") {
  for (Engine engine : {Engine::postgresql, Engine::mysql}) {
    INFO("engine: " << ops::db::engine_name(engine));
    const auto dsn = ops::db::parse_dsn(dsn_text(engine));
    const std::string wrong = "wrong-Pa55word-" + std::to_string(::getpid());
    auto options = options_for(engine);
    options.password_file = write_file("wrong.pass", wrong + "\n").string();
    auto e = error_of([&] { ops::db::connect(dsn, options); });
    CHECK(e.status() == ops::Status::critical);
    CHECK(std::string(e.what()).starts_with("cannot connect to " + dsn.display() + ": "));
    CHECK_THAT(e.what(), Catch::Contains(engine == Engine::postgresql ? "password authentication failed"
                                                                      : "Access denied"));
    CHECK_THAT(e.what(), !Catch::Contains(wrong));
    CHECK_THAT(e.hint(), !Catch::Contains(wrong));
    CHECK(std::string(e.what()).find('\n') == std::string::npos);

    options.password_file = (scratch() / "no-such.pass").string();
    e = error_of([&] { ops::db::connect(dsn, options); });
    CHECK(e.status() == ops::Status::unknown);
    CHECK_THAT(e.what(), Catch::Contains(options.password_file));

    // Nothing listens on port 1.
    auto closed = dsn;
    closed.port = 1;
    closed.uri = fmt::format("{}://{}@127.0.0.1:1/{}", closed.scheme, closed.user, closed.database);
    closed.host = "127.0.0.1";
    e = error_of([&] { ops::db::connect(closed, options_for(engine)); });
    CHECK(e.status() == ops::Status::critical);
    CHECK(std::string(e.what()).starts_with("cannot connect to " + closed.display() + ": "));
  }

  const fs::path missing = scratch() / "missing.db";
  auto e = error_of([&] { ops::db::connect(ops::db::parse_dsn("sqlite://" + missing.string())); });
  CHECK(std::string(e.what()) == "cannot connect to sqlite://" + missing.string() +
                                     ": unable to open database file (No such file or directory)");
  const fs::path garbage = write_file("garbage.db", std::string(4096, 'x'));
  e = error_of([&] { ops::db::connect(ops::db::parse_dsn("sqlite://" + garbage.string())); });
  CHECK(std::string(e.what()) == "cannot connect to sqlite://" + garbage.string() + ": file is not a database");
  // mode=ro really is read-only.
  const std::string rw = dsn_text(Engine::sqlite);
  ops::db::connect(ops::db::parse_dsn(rw))->execute("CREATE TABLE t (x)");
  auto ro = ops::db::connect(ops::db::parse_dsn(rw.substr(0, rw.find('?')) + "?mode=ro"));
  CHECK_THROWS_WITH(ro->execute("INSERT INTO t VALUES (1)"), Catch::Contains("readonly"));
}

TEST_CASE("db drivers: quoting by the driver", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  for (std::string v : {"plain", "it's", "a''b'", "back\\slash\\", "\\'; DROP TABLE x; --", "\xE2\x9C\x93 \xF0\x9F\x98\x80",
                        "", "\"double\" `back`", "line\nbreak"}) {
    INFO("value " << v);
    CHECK(c->query_value("SELECT " + c->quote_literal(v)) == v);
  }
  ScratchTable t(*c, table_name("odd \"name\" with `backtick` and 'quote'"), "id integer");
  c->execute("INSERT INTO " + t.quoted() + " VALUES (1)");
  CHECK(count_rows(*c, t) == 1);
  auto cursor = c->query("SELECT id AS " + c->quote_identifier("we\"ird`col") + " FROM " + t.quoted());
  CHECK(cursor->column_name(0) == "we\"ird`col");
}

TEST_CASE("db drivers: upkeep statements run through execute()", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  ScratchTable t(*c, table_name("upkeep"), "id integer PRIMARY KEY");
  c->execute("INSERT INTO " + t.quoted() + " VALUES (1)");
  if (engine == Engine::mysql) {
    c->execute("OPTIMIZE TABLE " + t.quoted());  // answers with a result set
    c->execute("ANALYZE TABLE " + t.quoted());
  } else {
    c->execute(engine == Engine::postgresql ? "VACUUM ANALYZE " + t.quoted() : std::string("VACUUM"));
  }
  CHECK(count_rows(*c, t) == 1);
}

TEST_CASE("db drivers: table sizes", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  ScratchTable big(*c, table_name("sizes_big"), "id integer PRIMARY KEY, v varchar(200)");
  ScratchTable small(*c, table_name("sizes_small"), "id integer PRIMARY KEY");
  c->execute("CREATE INDEX " + c->quote_identifier(table_name("sizes_v")) + " ON " + big.quoted() + " (v)");
  {
    ops::db::Transaction tx(*c);
    const std::string insert = "INSERT INTO " + big.quoted() + " VALUES (" + placeholders(engine, 2) + ")";
    for (int i = 0; i < 2000; ++i) c->execute(insert, {i, fmt::format("{:0>150}", i)});
    tx.commit();
  }
  c->execute((engine == Engine::mysql ? "ANALYZE TABLE " : "ANALYZE ") + big.quoted());

  const auto tables = opsdf::table_sizes(*c);
  const std::string schema = engine == Engine::postgresql ? "public" : engine == Engine::mysql ? "ops_test" : "main";
  const opsdf::TableSize* found = nullptr;
  const opsdf::TableSize* found_small = nullptr;
  for (const auto& s : tables) {
    if (s.name == big.name()) found = &s;
    if (s.name == small.name()) found_small = &s;
  }
  REQUIRE(found);
  REQUIRE(found_small);
  CHECK(found->schema == schema);
  CHECK(found->data_bytes > 2000 * 150);
  CHECK(found->index_bytes > 0);
  CHECK(found->total_bytes == found->data_bytes + found->index_bytes);
  CHECK(found->total_bytes > found_small->total_bytes);
  if (engine == Engine::mysql)
    CHECK(found->estimated_rows > 0);  // InnoDB samples: an estimate
  else
    CHECK(found->estimated_rows == 2000);
  for (std::size_t i = 1; i < tables.size(); ++i) {
    const auto& a = tables[i - 1];
    const auto& b = tables[i];
    CHECK((a.total_bytes > b.total_bytes ||
           (a.total_bytes == b.total_bytes && std::tie(a.schema, a.name) < std::tie(b.schema, b.name))));
  }
}

namespace {

// Runs the statements when the test ends, however it ends (DROP VIEW …).
class Cleanup {
 public:
  explicit Cleanup(Connection& c) : c_(c) {}
  ~Cleanup() {
    for (auto it = sql_.rbegin(); it != sql_.rend(); ++it) try {
        c_.execute(*it);
      } catch (...) {
      }
  }
  Cleanup(const Cleanup&) = delete;
  Cleanup& operator=(const Cleanup&) = delete;
  // Runs `create` now and `drop` at the end.
  void add(const std::string& create, std::string drop) {
    c_.execute(drop);
    sql_.push_back(std::move(drop));
    c_.execute(create);
  }

 private:
  Connection& c_;
  std::vector<std::string> sql_;
};

const ops::db::Table* find_table(const std::vector<ops::db::Table>& tables, std::string_view name) {
  for (const auto& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace

TEST_CASE("db catalogue: user tables by one rule", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  Cleanup objects(*c);
  const auto q = [&](std::string_view what) { return c->quote_identifier(table_name(what)); };
  ScratchTable plain(*c, table_name("cat_plain"), "id integer PRIMARY KEY, body varchar(100)");
  objects.add("CREATE VIEW " + q("cat_view") + " AS SELECT id FROM " + plain.quoted(), "DROP VIEW IF EXISTS " + q("cat_view"));
  std::vector<std::string> listed{table_name("cat_plain")}, not_listed{table_name("cat_view")};
  std::string schema;
  switch (engine) {
    case Engine::postgresql:
      schema = "public";
      objects.add("CREATE MATERIALIZED VIEW " + q("cat_matview") + " AS SELECT id FROM " + plain.quoted(),
                  "DROP MATERIALIZED VIEW IF EXISTS " + q("cat_matview"));
      objects.add("CREATE TABLE " + q("cat_parent") + " (id integer) PARTITION BY RANGE (id)",
                  "DROP TABLE IF EXISTS " + q("cat_parent"));
      c->execute("CREATE TABLE " + q("cat_part") + " PARTITION OF " + q("cat_parent") + " FOR VALUES FROM (0) TO (10)");
      listed.push_back(table_name("cat_matview"));
      listed.push_back(table_name("cat_part"));  // a partition holds the rows
      not_listed.push_back(table_name("cat_parent"));
      not_listed.push_back("pg_class");
      not_listed.push_back("tables");  // information_schema.tables
      break;
    case Engine::mysql:
      schema = "ops_test";
      objects.add("CREATE TABLE " + q("cat_myisam") + " (id int) ENGINE=MyISAM", "DROP TABLE IF EXISTS " + q("cat_myisam"));
      objects.add("CREATE TABLE " + q("cat_versioned") + " (id int) WITH SYSTEM VERSIONING",
                  "DROP TABLE IF EXISTS " + q("cat_versioned"));
      objects.add("CREATE SEQUENCE " + q("cat_seq"), "DROP SEQUENCE IF EXISTS " + q("cat_seq"));
      listed.push_back(table_name("cat_myisam"));
      listed.push_back(table_name("cat_versioned"));
      not_listed.push_back(table_name("cat_seq"));
      not_listed.push_back("user");    // mysql.user
      not_listed.push_back("TABLES");  // information_schema.TABLES
      break;
    case Engine::sqlite:
      schema = "main";
      c->execute("CREATE VIRTUAL TABLE " + q("cat_fts") + " USING fts5(body)");
      c->execute("INSERT INTO " + q("cat_fts") + " VALUES ('hello world')");
      c->execute("CREATE TABLE " + q("cat_auto") + " (id INTEGER PRIMARY KEY AUTOINCREMENT)");
      c->execute("INSERT INTO " + q("cat_auto") + " DEFAULT VALUES");
      c->execute("ANALYZE");
      for (const char* shadow : {"data", "idx", "content", "docsize", "config"})
        listed.push_back(table_name("cat_fts") + "_" + shadow);  // they hold the virtual table's data
      listed.push_back(table_name("cat_auto"));
      not_listed.push_back(table_name("cat_fts"));  // stores nothing, needs its module to be read
      not_listed.push_back("sqlite_sequence");
      not_listed.push_back("sqlite_stat1");
      not_listed.push_back("sqlite_schema");
      break;
  }

  const auto tables = ops::db::list_tables(*c);
  for (const auto& name : listed) {
    INFO("listed: " << name);
    const auto* t = find_table(tables, name);
    REQUIRE(t);
    CHECK(t->schema == schema);
    CHECK(t->kind == (name == table_name("cat_matview") ? ops::db::TableKind::materialized_view
                                                         : ops::db::TableKind::table));
  }
  for (const auto& name : not_listed) {
    INFO("not listed: " << name);
    CHECK_FALSE(find_table(tables, name));
  }
  for (const auto& t : tables) {
    INFO(t.display());
    CHECK_FALSE(t.schema.starts_with("pg_"));
    CHECK(t.schema != "information_schema");
    CHECK(t.schema != "mysql");
    CHECK(t.schema != "performance_schema");
    CHECK(t.schema != "sys");
  }
  if (engine == Engine::mysql) {
    CHECK(find_table(tables, table_name("cat_myisam"))->storage_engine == "MyISAM");
    CHECK(find_table(tables, table_name("cat_plain"))->storage_engine == "InnoDB");
  }
  for (std::size_t i = 1; i < tables.size(); ++i)
    CHECK(std::tie(tables[i - 1].schema, tables[i - 1].name) < std::tie(tables[i].schema, tables[i].name));

  // The sizes cover exactly the same tables.
  std::vector<std::string> sized;
  for (const auto& t : ops::db::table_sizes(*c)) sized.push_back(t.display());
  std::vector<std::string> names;
  for (const auto& t : tables) names.push_back(t.display());
  CHECK(sized == names);
}

TEST_CASE("db catalogue: maintain_table analyzes and optimizes", "[db][integration]") {
  FOR_EACH_ENGINE(engine);
  auto c = open(engine);
  ScratchTable t(*c, table_name("maintain"), "id integer PRIMARY KEY, v varchar(50)");
  const std::string insert = "INSERT INTO " + t.quoted() + " VALUES (" + placeholders(engine, 2) + ")";
  for (int i = 0; i < 200; ++i) c->execute(insert, {i, "row"});
  c->execute("DELETE FROM " + t.quoted() + " WHERE id >= 100");
  const ops::db::TableName name{"", t.name()};
  // InnoDB answers OPTIMIZE with the note "Table does not support optimize,
  // doing recreate + analyze instead": no failure.
  ops::db::maintain_table(*c, name, {.analyze = true, .optimize = true});
  ops::db::maintain_table(*c, name, {.analyze = true, .optimize = false});
  ops::db::maintain_table(*c, name, {.analyze = false, .optimize = true});
  CHECK(count_rows(*c, t) == 100);
  if (engine == Engine::postgresql) {
    auto tuples = c->query_value("SELECT reltuples::bigint FROM pg_class WHERE relname = $1", {t.name()});
    CHECK(tuples == "100");  // ANALYZE ran
  }

  // MySQL reports the failure of ANALYZE TABLE in a result row, not as an error.
  const ops::db::TableName missing{"", table_name("no_such_table")};
  auto e = error_of([&] { ops::db::maintain_table(*c, missing, {.analyze = true, .optimize = false}); });
  CHECK_THAT(e.what(), Catch::Contains(table_name("no_such_table")));
  CHECK(e.status() == ops::Status::critical);
}
