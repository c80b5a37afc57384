#pragma once
// The client sessions of a server as `opsdb activity` lists them, one
// engine's catalogue behind one shape, with who waits for whom:
// PostgreSQL's pg_stat_activity and pg_blocking_pids(); MySQL/MariaDB's
// PROCESSLIST and INNODB_TRX, row-lock waits (MariaDB and MySQL 5.7:
// information_schema.INNODB_LOCK_WAITS; MySQL 8: performance_schema's
// data_lock_waits) and metadata-lock waits (performance_schema's
// metadata_locks, when performance_schema is on).
//
// The session that asks is never among them. A role sees what it may: on
// PostgreSQL other roles' sessions without pg_read_all_stats (pg_monitor)
// have no state, times or query, and are counted as hidden, not listed; on
// MySQL/MariaDB other accounts' threads need the PROCESS privilege.

#include <ops/db.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opsdb {

struct Session {
  std::int64_t pid = 0;  // PostgreSQL's backend pid, MySQL's connection (thread) id
  // Seconds in its current state: the running query's, or the time it has
  // been idle (also idle in a transaction).
  std::optional<double> duration;
  std::optional<double> transaction;  // seconds since its transaction began
  // active, idle, idle in transaction (PostgreSQL's words; MySQL's Query and
  // Sleep are put in them), or the engine's own ("killed", "binlog dump").
  std::string state;
  std::string user, client, database;
  std::string wait;   // PostgreSQL "Lock:transactionid"; MySQL's thread state ("User sleep")
  std::string query;  // the running or last statement, whole as the server keeps it
  std::vector<std::int64_t> blocked_by;  // sessions it waits for
  std::vector<std::int64_t> blocking;    // sessions that wait for it
  // Waits for a lock whose holder the server does not show (MySQL without
  // performance_schema): blocked_by is empty, but it is blocked.
  bool blocker_unknown = false;

  bool idle() const { return state == "idle"; }
  bool blocked() const { return !blocked_by.empty() || blocker_unknown; }
};

struct Activity {
  std::vector<Session> sessions;  // every client session but the one asking, any order
  std::int64_t hidden = 0;        // PostgreSQL: other roles' sessions this role may not see
  // MySQL/MariaDB: how to see the holders of metadata locks, when the
  // server cannot say (empty when it can).
  std::string metadata_hint;
};

Activity read_activity(ops::db::Connection& db);
Activity read_postgres_activity(ops::db::Connection& db);  // activity_postgres.cpp
Activity read_mysql_activity(ops::db::Connection& db);     // activity_mysql.cpp

}  // namespace opsdb
