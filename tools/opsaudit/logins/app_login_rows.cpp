// read_app_logins: the operator's query run read-only on the application's
// database, its rows read into AuthEvents.

#include "opsaudit/logins/app_login_values.hpp"
#include "opsaudit/logins/app_logins.hpp"

#include <ops/db.hpp>
#include <ops/db_target.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

namespace opsaudit {

namespace {

constexpr std::size_t kColumns = 4;

bool from_command_line(const AppLoginSource& source) { return source.name == "--db" || source.where.empty(); }

// Runs `step`; an ops::Error from it is thrown again with the source named
// first, its status and hint kept (a bad DSN stays bad usage, a refused
// connection stays critical).
template <typename Step>
auto naming(const AppLoginSource& source, Step&& step) -> decltype(step()) {
  try {
    return step();
  } catch (const ops::Error& e) {
    throw ops::Error(e.status(), fmt::format("{}: {}", app_login_label(source), e.what()), e.hint());
  }
}

// The session made read-only where the engine can refuse a write, and its
// times printed in UTC, which app_login_time takes a time without zone for:
// a timestamptz or a MySQL TIMESTAMP then comes out exact whatever the
// server's zone. A DATETIME or timestamp without time zone is printed as
// stored, so it is read as UTC too (the man page says how a query converts
// local times).
void prepare_session(ops::db::Connection& connection) {
  switch (connection.engine()) {
    case ops::db::Engine::postgresql:
      connection.execute("SET TIME ZONE 'UTC'");
      connection.execute("SET DateStyle = 'ISO, YMD'");
      connection.execute("SET default_transaction_read_only = on");
      break;
    case ops::db::Engine::mysql:
      connection.execute("SET time_zone = '+00:00'");
      connection.execute("SET SESSION TRANSACTION READ ONLY");
      break;
    // SQLite's BEGIN does not refuse writes; query_only does.
    case ops::db::Engine::sqlite: connection.execute("PRAGMA query_only = ON"); break;
  }
}

}  // namespace

std::string app_login_label(const AppLoginSource& source) {
  if (from_command_line(source)) return fmt::format("--db {}", ops::shown(source.db));
  return fmt::format("[audit.{}] ({})", source.name, source.where);
}

AppLoginCounts read_app_logins_counted(const ops::Config& config, const AppLoginSource& source, ops::SysTime since,
                                       const std::function<void(const AuthEvent&)>& each) {
  // A warning on the password file (readable by others) is printed on
  // stderr; the audit's Request has no Warnings to count it in.
  ops::Warnings warnings;
  ops::db::Target target = naming(source, [&] { return ops::db::resolve_target(config, source.db, warnings); });
  std::unique_ptr<ops::db::Connection> connection =
      naming(source, [&] { return ops::db::connect(target.dsn, target.options); });
  // Read-only as far as the engine allows, then a read-only transaction
  // besides (PostgreSQL and MariaDB refuse a write in it).
  naming(source, [&] { prepare_session(*connection); });
  ops::db::Transaction transaction =
      naming(source, [&]() -> ops::db::Transaction { return ops::db::Transaction(*connection, ops::db::TransactionMode::snapshot); });

  const std::string event_source = "app " + (from_command_line(source) ? target.name : source.name);
  AppLoginCounts counts;
  auto unreadable = [&](std::size_t row, std::string why) {
    if (++counts.unreadable == 1) {
      counts.first_unreadable_row = row;
      counts.first_unreadable_why = std::move(why);
    }
  };

  std::unique_ptr<ops::db::Cursor> cursor = naming(source, [&] { return connection->query(source.sql); });
  std::size_t row = 0;
  while (naming(source, [&] { return cursor->next(); })) {
    ++row;
    if (row == 1 && cursor->columns() != kColumns)
      ops::fail(fmt::format("{}: the query gives {} columns, not the {} it must: time, address, user, succeeded",
                            app_login_label(source), cursor->columns(), kColumns));
    std::optional<std::string_view> time_text = cursor->get(0);
    std::optional<ops::SysTime> time = time_text ? app_login_time(*time_text) : std::nullopt;
    if (!time) {
      unreadable(row, time_text ? fmt::format("time '{}' is not a time", ops::shown(*time_text, 60))
                                : std::string("time is NULL"));
      continue;
    }
    std::optional<std::string_view> flag_text = cursor->get(3);
    std::optional<bool> success = flag_text ? app_login_success(*flag_text) : std::nullopt;
    if (!success) {
      unreadable(row, flag_text ? fmt::format("succeeded '{}' is not true/false, t/f, 1/0, yes/no or success/failure",
                                              ops::shown(*flag_text, 60))
                                : std::string("succeeded is NULL"));
      continue;
    }
    if (*time < since) {
      ++counts.before_since;
      continue;
    }
    // A NULL address or user is one the application did not record.
    AuthEvent event{*time, *success, std::string(cursor->get(1).value_or("")), std::string(cursor->get(2).value_or("")),
                    false, "app", event_source};
    ++counts.events;
    each(event);
  }
  return counts;
}

std::size_t read_app_logins(const ops::Config& config, const AppLoginSource& source, ops::SysTime since,
                            const std::function<void(const AuthEvent&)>& each) {
  return read_app_logins_counted(config, source, since, each).unreadable;
}

std::string app_login_note(const AppLoginSource& source, const AppLoginCounts& counts) {
  if (counts.unreadable == 0) return {};
  return fmt::format("{}: {} {} not understood, the first at row {}: {}", app_login_label(source), counts.unreadable,
                     counts.unreadable == 1 ? "row" : "rows", counts.first_unreadable_row, counts.first_unreadable_why);
}

}  // namespace opsaudit
