// opsdb activity NAME|DSN: what runs on the server and who waits for whom,
// longest first; --cancel/--terminate PID end one session's query or the
// session, asked for on a terminal and never implied.
#include "opsdb/activity/session_signal.hpp"
#include "opsdb/activity/sessions.hpp"
#include "opsdb/commands.hpp"
#include "opsdb/slow/sql_fingerprint.hpp"

#include <ops/db_target.hpp>
#include <ops/error.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>
#include <ops/value_check.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <unistd.h>

namespace opsdb {
namespace {

// How long --cancel/--terminate watch for the query (or session) to end.
constexpr std::chrono::seconds kActionWait{5};

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  const auto pid = [] {
    return ops::cli::checked_value(ops::integer_check(1, std::numeric_limits<std::int64_t>::max()))->value_name("PID");
  };
  d.add_options()
    ("min-duration", ops::cli::checked_value(ops::duration_check())->value_name("DURATION"), "only sessions in their state for at least DURATION (5s, 2min); blockers are always shown")
    ("all", po::bool_switch(), "also idle sessions")
    ("warn-time", ops::cli::checked_value(ops::duration_check(1))->value_name("DURATION"), "exit 1 when a query (or a transaction left idle) has run DURATION or longer")
    ("crit-time", ops::cli::checked_value(ops::duration_check(1))->value_name("DURATION"), "exit 2 when one has run DURATION or longer")
    ("cancel", pid(), "cancel the query session PID runs (pg_cancel_backend, KILL QUERY)")
    ("terminate", pid(), "end session PID, rolling back its transaction (pg_terminate_backend, KILL CONNECTION)")
    ("yes", po::bool_switch(), "do --cancel/--terminate without asking (needed when stdin is not a terminal)")
    ("password-file", po::value<std::string>()->value_name("FILE"), "password for the database (first line of FILE)");
}

std::string pids_text(const std::vector<std::int64_t>& pids) {
  std::string out;
  for (auto pid : pids) out += (out.empty() ? "" : ",") + std::to_string(pid);
  return out;
}

void print_sessions(ops::cli::Context& ctx, const std::vector<const Session*>& rows) {
  const bool text = ctx.common.format == ops::Format::text;
  const auto seconds_kind = text ? ops::ColumnKind::text : ops::ColumnKind::number;
  ops::Table table({{"pid", ops::ColumnKind::integer},
                    {"duration_seconds", seconds_kind, "DURATION"},
                    {"transaction_seconds", seconds_kind, "XACT"},
                    {"state"},
                    {"user"},
                    {"client"},
                    {"database"},
                    {"wait"},
                    {"blocked_by"},
                    {"blocking"},
                    {"query"}});
  auto seconds = [&](const std::optional<double>& s) -> ops::Cell {
    if (!s) return {};
    if (text) return ops::format_seconds(*s);
    // TSV shows a double with one decimal: milliseconds are given as text.
    if (ctx.common.format == ops::Format::tsv) return fmt::format("{:.3f}", *s);
    return *s;
  };
  for (const Session* s : rows) {
    std::string blocked_by = pids_text(s->blocked_by);
    if (s->blocker_unknown) blocked_by = "?";
    table.add_row({s->pid, seconds(s->duration), seconds(s->transaction), s->state, s->user, s->client, s->database,
                   s->wait, blocked_by, pids_text(s->blocking), text ? sql_one_line(s->query) : s->query});
  }
  table.print(ctx.out, ctx.common.format);
}

// The sessions to list, longest first: not the idle ones (unless --all) nor
// those under --min-duration, but always a session others wait for.
std::vector<const Session*> chosen(const Activity& a, bool all, std::optional<std::chrono::seconds> min) {
  std::vector<const Session*> rows;
  for (const auto& s : a.sessions) {
    const bool shown = (all || !s.idle()) && (!min || s.duration.value_or(0) >= static_cast<double>(min->count()));
    if (shown || !s.blocking.empty()) rows.push_back(&s);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Session* x, const Session* y) {
    if (x->duration.value_or(-1) != y->duration.value_or(-1)) return x->duration.value_or(-1) > y->duration.value_or(-1);
    return x->pid < y->pid;
  });
  return rows;
}

// --warn-time/--crit-time on each listed session that is not idle.
ops::Status judge(ops::cli::Context& ctx, const std::vector<const Session*>& rows) {
  const auto warn = ctx.duration("warn-time"), crit = ctx.duration("crit-time");
  ops::Status status = ops::Status::ok;
  for (const Session* s : rows) {
    if (s->idle() || !s->duration) continue;
    const auto over = [&](const std::optional<std::chrono::seconds>& limit) {
      return limit && *s->duration >= static_cast<double>(limit->count());
    };
    const bool is_crit = over(crit);
    if (!is_crit && !over(warn)) continue;
    status = ops::worst(status, is_crit ? ops::Status::critical : ops::Status::warning);
    ops::log::warning_line(fmt::format("pid {} has been {} for {}, over {} {}", s->pid, s->state,
                                       ops::format_seconds(*s->duration), is_crit ? "--crit-time" : "--warn-time",
                                       ops::format_duration(is_crit ? *crit : *warn)));
  }
  return status;
}

// "pid 4242 app@shop from 10.0.0.5:51234, active for 12.3 s: SELECT …"
std::string describe(const Session& s) {
  std::string text = fmt::format("pid {} {}@{}", s.pid, s.user, s.database);
  if (!s.client.empty()) text += " from " + s.client;
  text += ", " + s.state;
  if (s.duration) text += " for " + ops::format_seconds(*s.duration);
  if (!s.query.empty()) text += ": " + sql_one_line(s.query, 200);
  return text;
}

// A yes on the terminal, or --yes given on the command line (an ops.conf
// key or a variable must not answer for the operator).
bool confirmed(ops::cli::Context& ctx, const Session& s, SessionAction action) {
  const std::string verb = action == SessionAction::cancel ? "cancel" : "terminate";
  if (ctx.flag("yes")) {
    if (ctx.source("yes") != "--yes")
      ops::fail_usage(fmt::format("{}: --yes is taken from the command line only", ctx.source("yes")));
    return true;
  }
  if (!::isatty(STDIN_FILENO))
    ops::fail_usage(fmt::format("--{} {} asks for confirmation and stdin is not a terminal", verb, s.pid),
                    "add --yes to do it without asking");
  std::cerr << describe(s) << "\n"
            << (action == SessionAction::cancel ? "Cancel this query" : "Terminate this session") << "? [y/N] "
            << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  answer = ops::ascii_lower(ops::trim(answer));
  return answer == "y" || answer == "yes";
}

ops::Status act(ops::cli::Context& ctx, ops::db::Connection& db, const Activity& activity) {
  const bool cancel = ctx.has("cancel");
  const SessionAction action = cancel ? SessionAction::cancel : SessionAction::terminate;
  const std::string option = cancel ? "cancel" : "terminate";
  if (ctx.source(option) != "--" + option)
    ops::fail_usage(fmt::format("{}: --{} is taken from the command line only", ctx.source(option), option));
  const auto pid = *ctx.integer(option, 1, std::numeric_limits<std::int64_t>::max());
  const auto it = std::find_if(activity.sessions.begin(), activity.sessions.end(),
                               [&](const Session& s) { return s.pid == pid; });
  if (it == activity.sessions.end())
    ops::fail_usage(fmt::format("--{} {}: no client session with that pid on {} (opsdb's own is not one)", option, pid,
                                db.describe()),
                    fmt::format("see 'opsdb activity {} --all'", ops::shown(ctx.args.front())));
  ops::Table table({{"pid", ops::ColumnKind::integer}, {"action"}, {"result"}, {"detail"}});
  if (ctx.common.dry_run) {
    table.add_row({pid, option, "dry-run", "would run " + action_statement(db.engine(), action, pid) + " on " + describe(*it)});
    table.print(ctx.out, ctx.common.format);
    return ctx.warnings.status();
  }
  if (!confirmed(ctx, *it, action)) {
    table.add_row({pid, option, cancel ? "not cancelled" : "not terminated", "not confirmed"});
    table.print(ctx.out, ctx.common.format);
    return ops::worst(ops::Status::warning, ctx.warnings.status());
  }
  const ActionResult r = act_on_session(db, *it, action, kActionWait);
  table.add_row({pid, option, r.result, r.detail});
  table.print(ctx.out, ctx.common.format);
  // A query that runs on after the request is the failure of what was asked;
  // one that was not running is a request that had nothing to do.
  const bool nothing_to_do = !r.done && r.detail.find("runs no query") != std::string::npos;
  return ops::worst(r.done ? ops::Status::ok : nothing_to_do ? ops::Status::warning : ops::Status::critical,
                    ctx.warnings.status());
}

ops::Status run(ops::cli::Context& ctx) {
  if (ctx.has("cancel") && ctx.has("terminate")) ops::fail_usage("give --cancel or --terminate, not both");
  const auto warn = ctx.duration("warn-time"), crit = ctx.duration("crit-time");
  if (warn && crit && *warn > *crit)
    ops::fail_usage(fmt::format("{} is longer than {}: the warning must come first", ctx.source("warn-time"), ctx.source("crit-time")));
  const auto target =
      ops::db::resolve_target(ctx.config, ctx.args.front(), ctx.warnings, ctx.text("password-file").value_or(""));
  if (target.dsn.engine == ops::db::Engine::sqlite) {
    if (ctx.has("cancel") || ctx.has("terminate"))
      ops::fail_usage("SQLite has no sessions to cancel or terminate: it is a file that each process opens itself");
    // Not a failure: there is nothing to list, as for a verb an engine lacks.
    ctx.out << "SQLite has no sessions to list: it is a file that each process opens itself (fuser FILE shows who "
               "has it open)\n";
    return ctx.warnings.status();
  }
  auto db = ops::db::connect(target.dsn, target.options);
  const Activity activity = read_activity(*db);
  if (ctx.has("cancel") || ctx.has("terminate")) return act(ctx, *db, activity);

  const auto rows = chosen(activity, ctx.flag("all"), ctx.duration("min-duration"));
  print_sessions(ctx, rows);
  if (activity.hidden)
    ops::log::warning_line(fmt::format("{} sessions of other roles are not listed: grant pg_read_all_stats (or "
                                       "pg_monitor) to the role opsdb connects as to see them",
                                       activity.hidden));
  const bool unknown_blocker = std::any_of(rows.begin(), rows.end(), [](const Session* s) { return s->blocker_unknown; });
  if (unknown_blocker && !activity.metadata_hint.empty())
    ops::log::hint_line("a session waits for a lock whose holder is not shown (BLOCKED_BY ?): " + activity.metadata_hint);

  std::int64_t active = 0, blocked = 0;
  double longest = 0;
  for (const auto& s : activity.sessions) {
    active += s.state == "active";
    blocked += s.blocked();
    if (s.state == "active") longest = std::max(longest, s.duration.value_or(0));
  }
  ctx.metrics["sessions"] = static_cast<double>(activity.sessions.size());
  ctx.metrics["active_sessions"] = static_cast<double>(active);
  ctx.metrics["blocked_sessions"] = static_cast<double>(blocked);
  ctx.metrics["longest_query_seconds"] = longest;
  return ops::worst(judge(ctx, rows), ctx.warnings.status());
}

}  // namespace

ops::cli::Subcommand activity_command() {
  return {"activity", "NAME|DSN",
          "sessions and their queries, longest first, and who blocks whom; --cancel/--terminate PID", add_options, run,
          1, 1};
}

}  // namespace opsdb
