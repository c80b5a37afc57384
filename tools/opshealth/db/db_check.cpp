// db NAME|DSN: connect and SELECT 1 (the latency), then what a server in
// trouble shows first: connections against max_connections, replication lag,
// the longest transaction and query, and on PostgreSQL the transaction-ID
// wraparound headroom.
//
// One row per aspect ("db app", "db app connections", "db app lag"…), not one
// row with every figure: each aspect has its own thresholds and its own
// status, and a row is what the table, Nagios' summary line ("db app
// connections: 57 of 60 in use") and -q name. One row with six figures would
// say CRITICAL and leave the reader to find which of the six it meant. A
// server that cannot be reached gives the "db app" row alone: the other
// aspects were not measured, and a row each saying so would bury the reason.
#include "opshealth/db/db_activity.hpp"
#include "opshealth/db/db_measures.hpp"
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/db.hpp>
#include <ops/db_replica.hpp>
#include <ops/db_target.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/units.hpp>

#include <cmath>
#include <fmt/format.h>

namespace opshealth {
namespace {

using ops::db::Engine;
using Clock = std::chrono::steady_clock;

constexpr auto kSeconds = {ops::RangeUnit::seconds};
constexpr auto kPercent = {ops::RangeUnit::percent};
constexpr auto kConnectionUnits = {ops::RangeUnit::percent, ops::RangeUnit::none};

Result row(const Request& request, std::string_view aspect) {
  Result r;
  r.check = aspect.empty() ? request.label : fmt::format("{} {}", request.label, aspect);
  return r;
}

// An aspect judged by a duration: the longest transaction, query, lag.
Result duration_row(const Request& request, std::string_view aspect, std::string_view key, double seconds,
                    std::string message, std::string metric) {
  const auto warn = range_of(request.settings, fmt::format("warn_{}", key), kSeconds);
  const auto crit = range_of(request.settings, fmt::format("crit_{}", key), kSeconds);
  Result r = row(request, aspect);
  r.status = judge(seconds, warn, crit);
  r.value = ops::format_seconds(seconds);
  r.thresholds = thresholds_text(warn, crit);
  r.message = std::move(message);
  r.figures.push_back({"age", seconds, ops::PerfUnit::seconds, warn, crit, 0.0, {}, std::move(metric)});
  return r;
}

// Sessions of other roles this one may not see into.
std::string hidden_text(std::int64_t hidden) {
  return fmt::format("{} session{} of other roles not visible (grant pg_monitor)", hidden, hidden == 1 ? "" : "s");
}

Result connections_row(const Request& request, const db::Connections& n) {
  const auto warn = range_of(request.settings, "warn_connections", kConnectionUnits);
  const auto crit = range_of(request.settings, "crit_connections", kConnectionUnits);
  const double percent = db::connections_percent(n.used, n.max);
  // A percentage judges the share of max_connections, a plain number the count.
  auto alerts = [&](const std::optional<ops::Range>& range) {
    return range && range->alerts(range->unit == ops::RangeUnit::percent ? percent : static_cast<double>(n.used));
  };
  Result r = row(request, "connections");
  r.status = alerts(crit) ? ops::Status::critical : alerts(warn) ? ops::Status::warning : ops::Status::ok;
  r.value = fmt::format("{:.0f}%", percent);
  r.thresholds = thresholds_text(warn, crit);
  r.message = fmt::format("{} of {} connections in use", n.used, n.max);
  if (n.active)
    r.message += fmt::format(": {} active, {} idle, {} idle in transaction", *n.active, *n.idle, *n.idle_in_transaction);
  if (n.hidden > 0) r.message += fmt::format("; {}", hidden_text(n.hidden));
  const double max = static_cast<double>(n.max);
  r.figures.push_back({"used", percent, ops::PerfUnit::percent, range_in(warn, ops::RangeUnit::percent),
                       range_in(crit, ops::RangeUnit::percent), 0.0, 100.0, "db_connections_used_percent"});
  r.figures.push_back({"connections", static_cast<double>(n.used), ops::PerfUnit::none,
                       range_in(warn, ops::RangeUnit::none), range_in(crit, ops::RangeUnit::none), 0.0, max,
                       "db_connections"});
  r.figures.push_back({"max", max, ops::PerfUnit::none, {}, {}, {}, {}, "db_max_connections"});
  if (n.active) {
    const std::pair<const char*, std::int64_t> states[] = {
        {"active", *n.active}, {"idle", *n.idle}, {"idle_in_transaction", *n.idle_in_transaction}};
    for (const auto& [state, count] : states)
      r.figures.push_back({state, static_cast<double>(count), ops::PerfUnit::none, {}, {}, 0.0, max,
                           "db_connections_by_state", {{"state", state}}});
  }
  return r;
}

Result wraparound_row(const Request& request, const db::XidAge& x) {
  const auto warn = range_of(request.settings, "warn_wraparound", kPercent);
  const auto crit = range_of(request.settings, "crit_wraparound", kPercent);
  const double percent = db::wraparound_percent(x.age);
  Result r = row(request, "wraparound");
  r.status = judge(percent, warn, crit);
  r.value = fmt::format("{:.1f}%", percent);
  r.thresholds = thresholds_text(warn, crit);
  r.message = fmt::format("oldest unfrozen transaction ID is {} old, in database {}, of 2^31", x.age, x.database);
  r.figures.push_back({"used", percent, ops::PerfUnit::percent, warn, crit, 0.0, 100.0, "db_xid_wraparound_used_percent"});
  r.figures.push_back({"age", static_cast<double>(x.age), ops::PerfUnit::none, {}, {}, 0.0, db::kXidWraparoundAge,
                       "db_xid_age"});
  return r;
}

// The replication lag, when there is one to read (see the man page):
// a MySQL/MariaDB replica's own Seconds_Behind_Master; on PostgreSQL what the
// primary's standbys report (pg_stat_replication.replay_lag: 0 once a standby
// has replayed all the primary has, growing while its replay is stuck), read
// on the target when it is a primary with standbys, or on `--primary` when it
// is a standby. A standby alone knows what it received, not what its primary
// has written since, and ops::db::ReplicaLag needs two readings apart in time,
// which one check has not.
std::optional<Result> lag_row(const Request& request, ops::db::Connection& db, ops::Warnings& warnings) {
  const bool asked = request.settings.given("warn_lag") || request.settings.given("crit_lag") ||
                     request.settings.given("primary");
  bool replica = false;
  try {
    replica = ops::db::is_replica(db);
  } catch (const ops::db::SqlError&) {
    // MariaDB wants SLAVE MONITOR (MySQL REPLICATION CLIENT) for SHOW REPLICA
    // STATUS: a role without it cannot tell whether the server is a replica,
    // which matters only when a lag was asked for.
    if (asked) throw;
    return std::nullopt;
  }
  if (db.engine() == Engine::mysql) {
    if (!replica) return std::nullopt;
    const auto behind = ops::db::mysql_seconds_behind(db);
    if (!behind) {
      Result r = row(request, "lag");
      r.status = ops::Status::critical;
      r.value = "stopped";
      r.message = "replication is stopped: Seconds_Behind_Master is NULL (SHOW REPLICA STATUS)";
      r.figures.push_back({"age", std::nan(""), ops::PerfUnit::seconds, {}, {}, 0.0, {}, "db_replication_lag_seconds"});
      return r;
    }
    return duration_row(request, "lag", "lag", *behind, fmt::format("{:.0f} s behind its primary", *behind),
                        "db_replication_lag_seconds");
  }
  const auto primary_arg = request.settings.text("primary");
  if (replica && !primary_arg) {
    if (!asked) return std::nullopt;
    Result r = row(request, "lag");
    r.status = ops::Status::unknown;
    r.message = "a standby cannot tell how far its primary has moved on: give --primary NAME|DSN";
    return r;
  }
  std::unique_ptr<ops::db::Connection> primary_db;
  ops::db::Connection* primary = &db;
  if (replica) {
    auto target = ops::db::resolve_target(request.config, *primary_arg, warnings);
    target.options.connect_timeout = db::connect_timeout_for(request.time_left());
    target.options.application_name = "opshealth";
    primary_db = ops::db::connect(target.dsn, target.options);
    db::limit_statements(*primary_db, std::chrono::milliseconds(db::statement_timeout_ms(request.time_left())));
    if (ops::db::is_replica(*primary_db))
      ops::fail(fmt::format("--primary {} is itself a standby (in recovery)", primary_db->describe()));
    primary = primary_db.get();
  } else if (primary_arg) {
    Result r = row(request, "lag");
    r.status = ops::Status::unknown;
    r.message = "--primary is given but the server is not a standby (not in recovery)";
    return r;
  }
  // A role without pg_monitor sees its primary's standbys with every figure
  // NULL, which standbys_reported_lag would read as 0: never a silent OK.
  auto counted = primary->query("SELECT count(*), count(state) FROM pg_stat_replication");
  counted->next();
  const auto standbys = counted->get_int64(0);
  const auto readable = counted->get_int64(1);
  counted.reset();
  if (readable < standbys)
    cannot_tell(fmt::format("the role may not read the standbys' figures in pg_stat_replication of {} "
                            "(grant it pg_monitor)",
                            primary->describe()));
  if (standbys == 0) {
    if (!asked) return std::nullopt;
    Result r = row(request, "lag");
    r.status = replica ? ops::Status::critical : ops::Status::unknown;
    r.message = replica ? fmt::format("the primary {} streams to no standby: this one is not connected",
                                      primary->describe())
                        : "not a standby, and no standby streams from it";
    return r;
  }
  const double lag = ops::db::standbys_reported_lag(*primary);
  std::string message = standbys == 1 ? std::string("replay lag its standby reports")
                                       : fmt::format("largest replay lag of {} standbys", standbys);
  if (replica) message = fmt::format("{}, as the primary {} sees it", message, primary->describe());
  return duration_row(request, "lag", "lag", lag, std::move(message), "db_replication_lag_seconds");
}

// "none" rather than "0.0 ms" when no other session has one open.
Result none_when(const db::Oldest& oldest, Result r) {
  if (oldest.who.empty()) r.value = "none";
  return r;
}

// Each aspect on its own: one that cannot be read (a privilege the role
// lacks) is an UNKNOWN row of its own, and the others still come.
template <typename F>
void add_aspect(std::vector<Result>& rows, const Request& request, std::string_view aspect, F&& measure) {
  try {
    if (std::optional<Result> r = measure()) rows.push_back(std::move(*r));
  } catch (const ops::Error& e) {
    Result r = row(request, aspect);
    r.status = e.status() == ops::Status::critical ? ops::Status::unknown : e.status();
    r.message = fmt::format("cannot tell: {}", e.what());
    rows.push_back(std::move(r));
  }
}

std::vector<Result> check_db(const Request& request) {
  ops::Warnings warnings;
  auto target = ops::db::resolve_target(request.config, request.args.at(0), warnings,
                                        request.settings.text("password_file").value_or(""));
  target.options.connect_timeout = db::connect_timeout_for(request.time_left());
  target.options.application_name = "opshealth";
  const auto warn = range_of(request.settings, "warn_time", kSeconds);
  const auto crit = range_of(request.settings, "crit_time", kSeconds);

  Result main = row(request, "");
  main.thresholds = thresholds_text(warn, crit);
  std::unique_ptr<ops::db::Connection> db;
  double seconds = 0;
  try {
    const auto start = Clock::now();
    db = ops::db::connect(target.dsn, target.options);
    const auto connected = Clock::now();
    db::limit_statements(*db, std::chrono::milliseconds(db::statement_timeout_ms(request.time_left())));
    const auto asked = Clock::now();
    db->query_value("SELECT 1");
    seconds = std::chrono::duration<double>((connected - start) + (Clock::now() - asked)).count();
  } catch (const ops::Error& e) {
    if (e.status() == ops::Status::unknown) throw;  // a bad DSN or password file: the check's usage
    main.status = ops::Status::critical;
    main.message = e.what();
    main.figures.push_back({"time", std::nan(""), ops::PerfUnit::seconds, warn, crit, 0.0, {}, "db_time_seconds"});
    return {main};
  }
  main.status = ops::worst(judge(seconds, warn, crit), warnings.status());
  main.value = ops::format_seconds(seconds);
  main.message = fmt::format("connected and SELECT 1 answered in {} ({} {})", ops::format_seconds(seconds),
                             ops::db::engine_name(db->engine()), db->server_version());
  if (warnings.count() > 0) main.message += "; the password file may be read by others";
  main.figures.push_back({"time", seconds, ops::PerfUnit::seconds, warn, crit, 0.0, {}, "db_time_seconds"});
  if (db->engine() == Engine::sqlite) {
    main.message += "; connections, lag, transactions, queries and wraparound do not apply to SQLite";
    return {main};
  }

  std::vector<Result> rows{main};
  std::int64_t hidden = 0;
  add_aspect(rows, request, "connections", [&] {
    const auto n = db::read_connections(*db);
    hidden = n.hidden;
    return std::optional<Result>(connections_row(request, n));
  });
  // What a transaction or query row cannot have seen, said beside it.
  auto seen_all = [&](Result r) {
    if (hidden > 0) r.message += fmt::format("; {}", hidden_text(hidden));
    return r;
  };
  add_aspect(rows, request, "lag", [&] { return lag_row(request, *db, warnings); });
  add_aspect(rows, request, "transaction", [&] {
    const auto t = db::longest_transaction(*db);
    return std::optional<Result>(seen_all(none_when(t, duration_row(
        request, "transaction", "transaction", t.seconds,
        t.who.empty() ? "no other transaction open" : fmt::format("longest open transaction: {}", t.who),
        "db_longest_transaction_seconds"))));
  });
  add_aspect(rows, request, "query", [&] {
    const auto q = db::longest_query(*db);
    return std::optional<Result>(seen_all(none_when(q, duration_row(
        request, "query", "query", q.seconds,
        q.who.empty() ? "no other statement running" : fmt::format("longest running statement: {}", q.who),
        "db_longest_query_seconds"))));
  });
  if (db->engine() == Engine::postgresql)
    add_aspect(rows, request, "wraparound",
               [&] { return std::optional<Result>(wraparound_row(request, db::oldest_xid_age(*db))); });
  return rows;
}

ops::SectionKey seconds_key(std::string name, std::string help, std::string fallback) {
  return range_key(std::move(name), kSeconds, std::move(help), std::move(fallback));
}

}  // namespace

Kind db_kind() {
  return Kind{
      "db", "NAME|DSN",
      "a database: connect and SELECT 1, connections, replication lag, longest transaction and query, wraparound", 1, 1,
      ops::SectionSchema{
          "health", "a database check",
          with_common_keys({
              seconds_key("warn_time", "warning when connect and SELECT 1 take longer (default 2s)", "2s"),
              seconds_key("crit_time", "critical when connect and SELECT 1 take longer (default 8s)", "8s"),
              range_key("warn_connections", kConnectionUnits,
                        "warning above this share of max_connections in use (default 80%); a number: a count", "80%"),
              range_key("crit_connections", kConnectionUnits,
                        "critical above this share of max_connections in use (default 90%)", "90%"),
              seconds_key("warn_lag", "warning when a replica is further behind (default 1min)", "1min"),
              seconds_key("crit_lag", "critical when a replica is further behind (default 5min)", "5min"),
              seconds_key("warn_transaction", "warning when a transaction has been open longer (default 10min)",
                          "10min"),
              seconds_key("crit_transaction", "critical when a transaction has been open longer (default 1h)", "1h"),
              seconds_key("warn_query", "warning when a statement has run longer (default 5min)", "5min"),
              seconds_key("crit_query", "critical when a statement has run longer (default 30min)", "30min"),
              range_key("warn_wraparound", kPercent,
                        "PostgreSQL: warning above this share of the 2^31 transaction IDs to wraparound (default 50%)",
                        "50%"),
              range_key("crit_wraparound", kPercent, "PostgreSQL: critical above this share (default 75%)", "75%"),
              ops::SectionKey("primary", ops::KeyType::text,
                              "PostgreSQL standby: its primary (NAME|DSN), where its replication lag is read")
                  .with_option("primary", "NAME|DSN"),
              ops::SectionKey("password_file", ops::KeyType::path,
                              "the password (first line of FILE), instead of the [db.NAME] section's")
                  .with_option("password-file", "FILE"),
          })},
      check_db};
}

}  // namespace opshealth
