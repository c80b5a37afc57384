#include "opsdb/activity/session_signal.hpp"

#include <ops/units.hpp>

#include <fmt/format.h>

#include <thread>

namespace opsdb {
namespace {

using Clock = std::chrono::steady_clock;

// What the session runs now: (state, its query's start or text), or nullopt
// when the session is gone. Compared with what it ran before the request.
std::optional<std::pair<std::string, std::string>> now_running(ops::db::Connection& db, std::int64_t pid) {
  const bool pg = db.engine() == ops::db::Engine::postgresql;
  auto c = pg ? db.query("SELECT state, query_start::text FROM pg_stat_activity WHERE pid = $1", {pid})
              : db.query("SELECT COMMAND, COALESCE(INFO, '') FROM information_schema.PROCESSLIST WHERE ID = ?", {pid});
  if (!c->next()) return std::nullopt;
  std::string state(c->get(0).value_or(""));
  if (!pg && (state == "Query" || state == "Execute")) state = "active";
  return std::pair{state, std::string(c->get(1).value_or(""))};
}

}  // namespace

std::string action_statement(ops::db::Engine engine, SessionAction action, std::int64_t pid) {
  if (engine == ops::db::Engine::postgresql)
    return fmt::format("SELECT {}({})", action == SessionAction::cancel ? "pg_cancel_backend" : "pg_terminate_backend",
                       pid);
  return fmt::format("{} {}", action == SessionAction::cancel ? "KILL QUERY" : "KILL CONNECTION", pid);
}

ActionResult act_on_session(ops::db::Connection& db, const Session& session, SessionAction action,
                            std::chrono::milliseconds wait) {
  const bool cancel = action == SessionAction::cancel;
  ActionResult r;
  r.result = cancel ? "not cancelled" : "not terminated";
  const auto before = now_running(db, session.pid);
  if (!before) {
    r.detail = "the session ended before the request";
    return r;
  }
  if (cancel && before->first != "active") {
    r.detail = fmt::format("it runs no query ({}); --terminate ends the session", session.state);
    return r;
  }
  const auto start = Clock::now();
  try {
    db.execute(action_statement(db.engine(), action, session.pid));
  } catch (const ops::db::SqlError& e) {
    // MySQL 1094 (HY000) "Unknown thread id": it ended meanwhile.
    if (db.engine() == ops::db::Engine::postgresql || std::string_view(e.what()).find("Unknown thread") == std::string_view::npos)
      throw;
  }
  // MySQL's KILL QUERY of a connection's query leaves a "Killed" command for
  // a moment, then Sleep; PostgreSQL's cancelled session turns idle (or
  // idle in transaction (aborted)).
  for (;;) {
    const auto now = now_running(db, session.pid);
    const bool ended = !now || (cancel && (now->first != "active" && now->first != "Killed")) ||
                       (cancel && now->second != before->second && now->first == "active");
    if (ended) {
      r.done = true;
      r.result = cancel ? "cancelled" : "terminated";
      const std::string after = ops::format_seconds(std::chrono::duration<double>(Clock::now() - start).count());
      r.detail = !now ? fmt::format("the session ended {} after the request", after)
                      : fmt::format("the query ended {} after the request; the session is {}", after,
                                    now->first == "Sleep" ? "idle" : now->first);
      return r;
    }
    if (Clock::now() - start >= wait) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  r.detail = fmt::format("still {} {} after the request (the server acts when the session next checks for it)",
                         cancel ? "running" : "connected",
                         ops::format_seconds(std::chrono::duration<double>(wait).count()));
  return r;
}

}  // namespace opsdb
