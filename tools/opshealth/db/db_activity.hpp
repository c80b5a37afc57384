#pragma once
// What the db check asks a server beyond SELECT 1, one function per aspect,
// each hiding its engine's SQL: PostgreSQL reads pg_stat_activity and
// pg_database, MySQL/MariaDB SHOW GLOBAL STATUS, information_schema.PROCESSLIST
// and INNODB_TRX. SQLite has none of these (no server, no sessions).
//
// A role sees only what it may: on PostgreSQL other roles' sessions show
// without state or times unless it has pg_monitor (pg_read_all_stats); on
// MySQL/MariaDB other accounts' threads need the PROCESS privilege.

#include <ops/db.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace opshealth::db {

// Client connections against the server's limit; by state on PostgreSQL.
struct Connections {
  std::int64_t used = 0;
  std::int64_t max = 0;
  std::optional<std::int64_t> active, idle, idle_in_transaction;  // PostgreSQL only
  // PostgreSQL: other roles' sessions whose state and times this role may
  // not see (without pg_monitor): counted in `used`, but their transactions
  // and queries are not among the longest.
  std::int64_t hidden = 0;
};
Connections read_connections(ops::db::Connection& db);

// The oldest open transaction, or running statement, of another session:
// how long it has run and whose it is ("pid 4242 app@patients, idle in
// transaction"); seconds 0 and `who` empty when there is none.
struct Oldest {
  double seconds = 0;
  std::string who;
};
Oldest longest_transaction(ops::db::Connection& db);
Oldest longest_query(ops::db::Connection& db);

// PostgreSQL: the database whose frozen transaction ID is oldest, and its age.
struct XidAge {
  std::string database;
  std::int64_t age = 0;
};
XidAge oldest_xid_age(ops::db::Connection& db);

// Asks the server to cancel any statement of this session that runs longer
// than `limit` (PostgreSQL statement_timeout, MariaDB max_statement_time,
// MySQL max_execution_time), so a hung server ends a statement with its own
// reason before the check's deadline. SQLite: nothing to ask.
void limit_statements(ops::db::Connection& db, std::chrono::milliseconds limit);

}  // namespace opshealth::db
