#pragma once
// A connection for upkeep: opened with the lock timeout every statement runs
// under, and what the server can spare for --jobs.

#include <ops/db.hpp>
#include <ops/db_target.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace opsdb {

// The statements that set the lock timeout of a session: PostgreSQL
// lock_timeout; MySQL/MariaDB lock_wait_timeout (metadata locks: what
// OPTIMIZE and ANALYZE TABLE wait for) and innodb_lock_wait_timeout (rows).
// SQLite has none: its busy timeout is set when the file is opened.
std::vector<std::string> lock_timeout_statements(ops::db::Engine engine, std::chrono::seconds timeout);

// Connects and sets the lock timeout. A failed connection is critical (exit 2).
std::unique_ptr<ops::db::Connection> open_session(const ops::db::Target& target, std::chrono::seconds lock_timeout);

// Connections the server takes beyond those open now (PostgreSQL:
// max_connections less the superuser reserve and the client sessions;
// MySQL/MariaDB: max_connections less Threads_connected); nullopt when
// the server does not say.
std::optional<long long> free_connections(ops::db::Connection& db);

// Whether an error is a lock not had in time: PostgreSQL 55P03
// (lock_not_available), MySQL/MariaDB error 1205 "Lock wait timeout
// exceeded", SQLite "database is locked".
bool lock_not_had(const std::exception& error);

}  // namespace opsdb
