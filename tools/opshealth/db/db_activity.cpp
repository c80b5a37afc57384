#include "opshealth/db/db_activity.hpp"

#include <ops/db_server.hpp>

#include <fmt/format.h>

namespace opshealth::db {
namespace {

using ops::db::Engine;

std::int64_t int_of(ops::db::Connection& db, std::string_view sql) {
  return std::stoll(db.query_value(sql).value_or("0"));
}

// "pid 4242 app@patients, idle in transaction" from columns pid, user, database, state.
std::string who(const ops::db::Cursor& c) {
  std::string text = fmt::format("pid {}", c.get(1).value_or("?"));
  const auto user = c.get(2), database = c.get(3), state = c.get(4);
  if (user || database) text += fmt::format(" {}@{}", user.value_or(""), database.value_or(""));
  if (state && !state->empty()) text += fmt::format(", {}", *state);
  return text;
}

// The first row of `sql` (seconds, pid, user, database, state) as an Oldest.
Oldest oldest_of(ops::db::Connection& db, std::string_view sql) {
  auto c = db.query(sql);
  Oldest oldest;
  if (c->next() && !c->is_null(0)) {
    oldest.seconds = std::max(c->get_double(0), 0.0);
    oldest.who = who(*c);
  }
  return oldest;
}

}  // namespace

Connections read_connections(ops::db::Connection& db) {
  Connections n;
  if (db.engine() == Engine::postgresql) {
    // Client backends only: autovacuum, WAL senders and background workers
    // have slots of their own and do not count against max_connections. A
    // role without pg_monitor sees another role's session with its type and
    // state NULL, but still its database and user (a server process has
    // neither): counted, as hidden (a parallel worker of a hidden query too).
    auto c = db.query(
        "SELECT count(*), count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'idle'), "
        "count(*) FILTER (WHERE state LIKE 'idle in transaction%'), current_setting('max_connections')::int, "
        "count(*) FILTER (WHERE backend_type IS NULL) FROM pg_stat_activity "
        "WHERE backend_type = 'client backend' "
        "OR (backend_type IS NULL AND datid IS NOT NULL AND usesysid IS NOT NULL)");
    c->next();
    n.used = c->get_int64(0);
    n.active = c->get_int64(1);
    n.idle = c->get_int64(2);
    n.idle_in_transaction = c->get_int64(3);
    n.max = c->get_int64(4);
    n.hidden = c->get_int64(5);
  } else {
    auto c = db.query("SHOW GLOBAL STATUS LIKE 'Threads_connected'");
    if (c->next()) n.used = c->get_int64(1);
    c.reset();
    n.max = int_of(db, "SELECT @@max_connections");
  }
  return n;
}

Oldest longest_transaction(ops::db::Connection& db) {
  if (db.engine() == Engine::postgresql)
    return oldest_of(db,
                     "SELECT EXTRACT(EPOCH FROM clock_timestamp() - xact_start)::float8, pid, usename, datname, state "
                     "FROM pg_stat_activity WHERE backend_type = 'client backend' AND xact_start IS NOT NULL "
                     "AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1");
  // InnoDB's open transactions (a transaction has an entry once it has read
  // or written, or began WITH CONSISTENT SNAPSHOT).
  return oldest_of(db,
                   "SELECT TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) / 1e6, t.trx_mysql_thread_id, "
                   "p.USER, p.DB, t.trx_state FROM information_schema.INNODB_TRX t "
                   "LEFT JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
                   "WHERE t.trx_mysql_thread_id <> CONNECTION_ID() ORDER BY t.trx_started LIMIT 1");
}

Oldest longest_query(ops::db::Connection& db) {
  if (db.engine() == Engine::postgresql)
    return oldest_of(db,
                     "SELECT EXTRACT(EPOCH FROM clock_timestamp() - query_start)::float8, pid, usename, datname, state "
                     "FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active' "
                     "AND pid <> pg_backend_pid() ORDER BY query_start LIMIT 1");
  // MariaDB counts in milliseconds (TIME_MS), MySQL in whole seconds.
  const char* seconds = ops::db::is_mariadb(db) ? "TIME_MS / 1000" : "TIME";
  return oldest_of(db, fmt::format("SELECT {0}, ID, USER, DB, STATE FROM information_schema.PROCESSLIST "
                                   "WHERE COMMAND = 'Query' AND ID <> CONNECTION_ID() ORDER BY {0} DESC LIMIT 1",
                                   seconds));
}

XidAge oldest_xid_age(ops::db::Connection& db) {
  auto c = db.query("SELECT datname, age(datfrozenxid) FROM pg_database ORDER BY age(datfrozenxid) DESC LIMIT 1");
  XidAge x;
  if (c->next()) {
    x.database = c->get_string(0);
    x.age = c->get_int64(1);
  }
  return x;
}

void limit_statements(ops::db::Connection& db, std::chrono::milliseconds limit) {
  const auto ms = limit.count();
  switch (db.engine()) {
    case Engine::postgresql: db.execute(fmt::format("SET statement_timeout = {}", ms)); break;
    case Engine::mysql:
      if (ops::db::is_mariadb(db))
        db.execute(fmt::format("SET SESSION max_statement_time = {}.{:03}", ms / 1000, ms % 1000));
      else
        db.execute(fmt::format("SET SESSION max_execution_time = {}", ms));
      break;
    case Engine::sqlite: break;
  }
}

}  // namespace opshealth::db
