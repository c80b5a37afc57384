// Upkeep connections: the lock timeout, the server's free connections, and
// how each engine says that a lock was not had in time.
#include "opsdb/upkeep/session.hpp"

#include <fmt/format.h>

namespace opsdb {

using ops::db::Engine;

std::vector<std::string> lock_timeout_statements(Engine engine, std::chrono::seconds timeout) {
  switch (engine) {
    case Engine::postgresql:
      return {fmt::format("SET lock_timeout = '{}s'", timeout.count())};
    case Engine::mysql:
      return {fmt::format("SET SESSION lock_wait_timeout = {}", timeout.count()),
              fmt::format("SET SESSION innodb_lock_wait_timeout = {}", timeout.count())};
    case Engine::sqlite:
      return {fmt::format("-- busy timeout {}s (sqlite3_busy_timeout)", timeout.count())};
  }
  return {};
}

std::unique_ptr<ops::db::Connection> open_session(const ops::db::Target& target, std::chrono::seconds lock_timeout) {
  ops::db::ConnectOptions options = target.options;
  options.application_name = "opsdb";
  // For SQLite, how long a statement waits for another connection's lock.
  if (target.dsn.engine == Engine::sqlite) options.connect_timeout = lock_timeout;
  auto db = ops::db::connect(target.dsn, options);
  for (const auto& sql : lock_timeout_statements(db->engine(), lock_timeout))
    if (!sql.starts_with("-- ")) db->execute(sql);
  return db;
}

std::optional<long long> free_connections(ops::db::Connection& db) {
  std::optional<std::string> value;
  if (db.engine() == Engine::postgresql)
    value = db.query_value(
        "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int "
        "- (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')");
  else if (db.engine() == Engine::mysql) {
    // SHOW GLOBAL STATUS: information_schema.GLOBAL_STATUS is MariaDB's
    // only (MySQL 8 moved it to performance_schema).
    const auto max = db.query_value("SELECT @@max_connections");
    auto status = db.query("SHOW GLOBAL STATUS LIKE 'Threads_connected'");
    if (!max || !status->next() || status->is_null(1)) return std::nullopt;
    value = std::to_string(std::stoll(*max) - status->get_int64(1));
  }
  if (!value) return std::nullopt;
  return std::max(0LL, std::stoll(*value));
}

bool lock_not_had(const std::exception& error) {
  if (const auto* sql = dynamic_cast<const ops::db::SqlError*>(&error); sql && sql->sqlstate() == "55P03") return true;
  const std::string_view what = error.what();
  return what.find("Lock wait timeout exceeded") != std::string_view::npos ||
         what.find("database is locked") != std::string_view::npos;
}

}  // namespace opsdb
