// MySQL/MariaDB: the threads of information_schema.PROCESSLIST with their
// InnoDB transaction, and the waits the server can name: row locks always,
// metadata locks (ALTER TABLE, LOCK TABLES, GET_LOCK) only through
// performance_schema, which MariaDB leaves off by default. A thread that
// waits for a metadata lock the server cannot attribute is marked blocked
// by an unknown session, with the way to see it.
#include "opsdb/activity/sessions.hpp"

#include <ops/db_server.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace opsdb {
namespace {

// PROCESSLIST's COMMAND in PostgreSQL's words where they mean the same.
std::string state_of(std::string_view command, bool in_transaction) {
  if (command == "Query" || command == "Execute") return "active";
  if (command == "Sleep") return in_transaction ? "idle in transaction" : "idle";
  std::string s(command);
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

using Edges = std::set<std::pair<std::int64_t, std::int64_t>>;  // (waiter, holder)

void add_edges(ops::db::Connection& db, std::string_view sql, Edges& edges) {
  auto c = db.query(sql);
  while (c->next())
    if (!c->is_null(0) && !c->is_null(1)) edges.emplace(c->get_int64(0), c->get_int64(1));
}

void row_lock_waits(ops::db::Connection& db, bool mariadb, Edges& edges) {
  if (mariadb) {
    add_edges(db,
              "SELECT r.trx_mysql_thread_id, b.trx_mysql_thread_id FROM information_schema.INNODB_LOCK_WAITS w "
              "JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id "
              "JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id",
              edges);
    return;
  }
  // MySQL 8 moved them to performance_schema, by its own thread ids.
  add_edges(db,
            "SELECT rt.PROCESSLIST_ID, bt.PROCESSLIST_ID FROM performance_schema.data_lock_waits w "
            "JOIN performance_schema.threads rt ON rt.THREAD_ID = w.REQUESTING_THREAD_ID "
            "JOIN performance_schema.threads bt ON bt.THREAD_ID = w.BLOCKING_THREAD_ID",
            edges);
}

// Metadata-lock waits: a PENDING request waits for the GRANTED locks of
// other threads on the same object, unless both are of the weak kinds that
// let each other be (plain reads and writes of a table's rows), and for a
// strong request queued before it (an ALTER TABLE waiting makes every later
// SELECT of its table wait behind it).
void metadata_lock_waits(ops::db::Connection& db, Edges& edges) {
  constexpr std::string_view weak =
      "('SHARED', 'SHARED_HIGH_PRIO', 'SHARED_READ', 'SHARED_WRITE', 'INTENTION_EXCLUSIVE', 'SHARED_UPGRADABLE')";
  add_edges(db,
            fmt::format("SELECT DISTINCT wt.PROCESSLIST_ID, ht.PROCESSLIST_ID FROM performance_schema.metadata_locks w "
                        "JOIN performance_schema.metadata_locks h ON h.OBJECT_TYPE = w.OBJECT_TYPE "
                        "AND h.OBJECT_SCHEMA <=> w.OBJECT_SCHEMA AND h.OBJECT_NAME <=> w.OBJECT_NAME "
                        "AND h.OWNER_THREAD_ID <> w.OWNER_THREAD_ID "
                        "JOIN performance_schema.threads wt ON wt.THREAD_ID = w.OWNER_THREAD_ID "
                        "JOIN performance_schema.threads ht ON ht.THREAD_ID = h.OWNER_THREAD_ID "
                        "WHERE w.LOCK_STATUS = 'PENDING' AND ((h.LOCK_STATUS = 'GRANTED' "
                        "AND NOT (w.LOCK_TYPE IN {0} AND h.LOCK_TYPE IN {0})) "
                        "OR (h.LOCK_STATUS = 'PENDING' AND h.LOCK_TYPE NOT IN {0} AND w.LOCK_TYPE IN {0}))",
                        weak),
            edges);
}

bool metadata_locks_visible(ops::db::Connection& db) {
  if (db.query_value("SELECT @@performance_schema").value_or("0") != "1") return false;
  return db.query_value("SELECT ENABLED FROM performance_schema.setup_instruments "
                        "WHERE NAME = 'wait/lock/metadata/sql/mdl'") == "YES";
}

}  // namespace

Activity read_mysql_activity(ops::db::Connection& db) {
  const bool mariadb = ops::db::is_mariadb(db);
  Activity a;
  {
    // MariaDB counts in milliseconds (TIME_MS), MySQL in whole seconds.
    auto c = db.query(fmt::format(
        "SELECT p.ID, {}, TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) / 1e6, p.COMMAND, p.USER, p.HOST, p.DB, "
        "p.STATE, p.INFO, t.trx_id IS NOT NULL FROM information_schema.PROCESSLIST p "
        "LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID "
        "WHERE p.ID <> CONNECTION_ID() AND p.COMMAND NOT IN ('Daemon')",
        mariadb ? "p.TIME_MS / 1000" : "p.TIME"));
    while (c->next()) {
      Session s;
      s.pid = c->get_int64(0);
      if (!c->is_null(1)) s.duration = std::max(c->get_double(1), 0.0);
      if (!c->is_null(2)) s.transaction = std::max(c->get_double(2), 0.0);
      s.state = state_of(c->get(3).value_or(""), c->get(9) == "1");
      s.user = std::string(c->get(4).value_or(""));
      s.client = std::string(c->get(5).value_or(""));
      s.database = std::string(c->get(6).value_or(""));
      s.wait = std::string(c->get(7).value_or(""));
      s.query = std::string(c->get(8).value_or(""));
      a.sessions.push_back(std::move(s));
    }
  }
  Edges edges;
  row_lock_waits(db, mariadb, edges);
  const bool metadata = metadata_locks_visible(db);
  if (metadata) metadata_lock_waits(db, edges);
  std::map<std::int64_t, Session*> by_pid;
  for (auto& s : a.sessions) by_pid[s.pid] = &s;
  for (const auto& [waiter, holder] : edges)
    if (auto it = by_pid.find(waiter); it != by_pid.end()) it->second->blocked_by.push_back(holder);
  for (auto& s : a.sessions) {
    const bool lock_wait = s.wait.find("metadata lock") != std::string::npos || s.wait == "User lock" ||
                           s.wait.find("table level lock") != std::string::npos;
    if (lock_wait && s.blocked_by.empty()) s.blocker_unknown = true;
  }
  if (!metadata)
    a.metadata_hint = "performance_schema=ON in the [mysqld] section of my.cnf (and a restart) lets opsdb name "
                      "who holds the metadata lock an ALTER TABLE, LOCK TABLES or GET_LOCK() waits for";
  return a;
}

}  // namespace opsdb
