// opsdb reindex without a server: the statement for each PostgreSQL version,
// which invalid indexes are an interrupted REINDEX CONCURRENTLY's leftovers
// (dropped) and which are left alone with what to do, and the verb on a real
// SQLite file. tests/integration/opsdb_reindex.sh runs it on PostgreSQL.
#include "opsdb/upkeep/reindex.hpp"

#include <ops/db.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

using opsdb::PgInvalidIndex;
using opsdb::reindex::InvalidAction;
using Statements = std::vector<std::string>;

TEST_CASE("reindex: CONCURRENTLY from PostgreSQL 12, a plain REINDEX with its locks named before", "[opsdb]") {
  const ops::db::TableName t{"public", "cases"};
  CHECK(opsdb::reindex::postgresql_statements(150005, t) == Statements{"REINDEX TABLE CONCURRENTLY \"public\".\"cases\""});
  CHECK(opsdb::reindex::postgresql_statements(120000, t) == Statements{"REINDEX TABLE CONCURRENTLY \"public\".\"cases\""});
  CHECK(opsdb::reindex::postgresql_statements(110022, t) ==
        Statements{"-- no CONCURRENTLY before PostgreSQL 12: a SHARE lock blocks writes to public.cases, and an ACCESS "
                   "EXCLUSIVE lock on each index the reads that use it, until it ends",
                   "REINDEX TABLE \"public\".\"cases\""});
  // Without a connection, the verb shows the statement of current servers.
  CHECK(opsdb::reindex_verb().statements(ops::db::Engine::postgresql, ops::db::Table{t, {}, {}}, {}) ==
        Statements{"REINDEX TABLE CONCURRENTLY \"public\".\"cases\""});
}

TEST_CASE("reindex: the leftovers of an interrupted REINDEX CONCURRENTLY are told by their names", "[opsdb]") {
  CHECK(opsdb::is_reindex_leftover("cases_pkey_ccnew"));
  CHECK(opsdb::is_reindex_leftover("cases_pkey_ccnew1"));
  CHECK(opsdb::is_reindex_leftover("cases_pkey_ccnew12"));
  CHECK(opsdb::is_reindex_leftover("cases_pkey_ccold"));
  CHECK(opsdb::is_reindex_leftover("cases_pkey_ccold3"));
  CHECK(opsdb::is_reindex_leftover("pg_toast_16384_index_ccnew"));
  CHECK_FALSE(opsdb::is_reindex_leftover("cases_pkey"));
  CHECK_FALSE(opsdb::is_reindex_leftover("cases_ccnew_idx"));
  CHECK_FALSE(opsdb::is_reindex_leftover("ccnew"));
  CHECK_FALSE(opsdb::is_reindex_leftover("cases_ccnewer"));
}

TEST_CASE("reindex: a leftover no one holds is dropped; one in use and other invalid indexes are left", "[opsdb]") {
  PgInvalidIndex leftover{"public", "cases_pkey_ccnew", "\"public\".\"cases_pkey_ccnew\"", "cases", "public", "cases", {}};
  CHECK(opsdb::reindex::action_for(leftover) == InvalidAction::drop);
  CHECK(opsdb::reindex::drop_statement(leftover) == "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"cases_pkey_ccnew\"");

  PgInvalidIndex running = leftover;
  running.holders = {4242};
  CHECK(opsdb::reindex::action_for(running) == InvalidAction::in_use);
  CHECK(opsdb::reindex::left_alone_note(running) ==
        "left public.cases_pkey_ccnew alone: PID 4242 holds it (a REINDEX CONCURRENTLY of cases running now?)");

  PgInvalidIndex failed_create{"public", "cases_email_idx", "\"public\".\"cases_email_idx\"", "cases", "public", "cases", {}};
  CHECK(opsdb::reindex::action_for(failed_create) == InvalidAction::leave);
  CHECK(opsdb::reindex::left_alone_note(failed_create) ==
        "invalid index public.cases_email_idx on cases left alone: a CREATE INDEX CONCURRENTLY failed there or is "
        "running now. When none runs (opsdb activity), REINDEX INDEX CONCURRENTLY \"public\".\"cases_email_idx\" "
        "rebuilds it, or DROP INDEX CONCURRENTLY \"public\".\"cases_email_idx\" removes it");
}

TEST_CASE("reindex: MySQL/MariaDB has none, and says what rebuilds instead", "[opsdb]") {
  const auto message = opsdb::reindex_verb().unsupported(ops::db::Engine::mysql);
  REQUIRE(message);
  CHECK(*message == "MySQL/MariaDB has no REINDEX: `opsdb optimize` rebuilds a table together with its indexes");
  CHECK_FALSE(opsdb::reindex_verb().unsupported(ops::db::Engine::postgresql));
  CHECK_FALSE(opsdb::reindex_verb().unsupported(ops::db::Engine::sqlite));
}

TEST_CASE("reindex: SQLite rebuilds a table's indexes; a table without one needs nothing", "[opsdb]") {
  ops::test::TempDir dir;
  auto db = ops::db::connect(ops::db::parse_dsn("sqlite://" + (dir.path() / "app.db").string() + "?mode=rwc"));
  db->execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE, c TEXT)");
  db->execute("CREATE INDEX t_c ON t (c)");
  db->execute("CREATE TABLE plain (a INTEGER PRIMARY KEY)");
  db->execute("INSERT INTO t VALUES (1, 'x', 'y'), (2, 'z', 'y')");
  const ops::db::Table t{{"main", "t"}, {}, {}};
  const ops::db::Table plain{{"main", "plain"}, {}, {}};
  const opsdb::Verb& verb = opsdb::reindex_verb();

  CHECK(verb.statements_on(*db, t, {}) ==
        Statements{"-- holds the database's write lock until it ends: other writers wait", "REINDEX \"main\".\"t\""});
  CHECK(verb.not_needed(*db, plain, {}) == "no index");
  CHECK_FALSE(verb.not_needed(*db, t, {}));
  const opsdb::TableOutcome out = verb.run(*db, t, {});
  CHECK(out.status == ops::Status::ok);
  CHECK(out.result == "done");
  CHECK(out.detail == "2 indexes rebuilt");  // t_c and the UNIQUE constraint's
}
