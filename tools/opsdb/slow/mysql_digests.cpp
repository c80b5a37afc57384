// performance_schema's statement digests: MySQL has them on by default,
// MariaDB not (performance_schema=OFF unless my.cnf says ON, and it can be
// turned on only at start). Its timers count picoseconds.
#include "opsdb/slow/sql_fingerprint.hpp"
#include "opsdb/slow/statement_sources.hpp"

#include <ops/db_server.hpp>
#include <ops/error.hpp>

#include <fmt/format.h>

namespace opsdb {

void read_mysql_digests(ops::db::Connection& db, StatementTally& tally) {
  if (db.query_value("SELECT @@performance_schema").value_or("0") != "1")
    throw ops::Error(ops::Status::unknown, fmt::format("performance_schema is off on {}", db.describe()),
                     "add performance_schema=ON to the [mysqld] section of my.cnf and restart the server (digests "
                     "then add up from the start), or read the slow query log: opsdb slow --log FILE");
  // MySQL 8 keeps a sample of each statement; MariaDB does not.
  const bool sample = !ops::db::is_mariadb(db);
  const std::string& database = db.dsn().database;
  std::unique_ptr<ops::db::Cursor> c;
  try {
    c = db.query(fmt::format("SELECT SCHEMA_NAME, DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT / 1e12, MAX_TIMER_WAIT / 1e12, "
                             "SUM_ROWS_SENT + SUM_ROWS_AFFECTED, SUM_ROWS_EXAMINED, {} "
                             "FROM performance_schema.events_statements_summary_by_digest "
                             "WHERE DIGEST_TEXT IS NOT NULL AND (? = '' OR SCHEMA_NAME = ?)",
                             sample ? "QUERY_SAMPLE_TEXT" : "NULL"),
                 {database, database});
  } catch (const ops::db::SqlError& e) {
    if (e.sqlstate() != "42000") throw;
    throw ops::Error(ops::Status::unknown, fmt::format("cannot read performance_schema on {}: {}", db.describe(), e.what()),
                     "GRANT SELECT ON performance_schema.* TO the account opsdb connects as");
  }
  while (c->next()) {
    StatementStats s;
    s.database = std::string(c->get(0).value_or(""));
    s.query = sql_fingerprint(c->get_string(1), SqlDialect::mysql);
    s.calls = c->get_int64(2);
    s.total = c->get_double(3);
    s.max = c->get_double(4);
    s.rows = c->get_int64(5);
    s.rows_examined = c->get_int64(6);
    if (auto example = c->get(7)) {
      s.example = std::string(*example);
      s.example_time = s.max;
    }
    tally.add(std::move(s));
  }
}

}  // namespace opsdb
