#include <ops/db_replica.hpp>

#include <ops/error.hpp>

#include <fmt/format.h>

#include <charconv>
#include <string>

namespace ops::db {

namespace {

using Clock = std::chrono::steady_clock;

// SHOW REPLICA STATUS (MariaDB 10.5+, MySQL 8.0.22+; MySQL 8.4 has no other)
// or SHOW SLAVE STATUS (older servers): nullopt when the server is not a
// replica; else the lag, or a NULL lag (replication stopped).
std::optional<std::optional<double>> mysql_status_lag(Connection& db) {
  std::unique_ptr<Cursor> c;
  try {
    c = db.query("SHOW REPLICA STATUS");
  } catch (const SqlError&) {
    c = db.query("SHOW SLAVE STATUS");
  }
  if (!c->next()) return std::nullopt;
  for (std::size_t i = 0; i < c->columns(); ++i) {
    const auto name = c->column_name(i);
    if (name != "Seconds_Behind_Master" && name != "Seconds_Behind_Source") continue;
    const auto v = c->get(i);
    return v ? std::optional<double>(std::stod(std::string(*v))) : std::nullopt;
  }
  return std::optional<double>{};
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

std::uint64_t parse_lsn(std::string_view text) {
  const auto slash = text.find('/');
  std::uint32_t hi = 0, lo = 0;
  const auto part = [](std::string_view s, std::uint32_t& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
  };
  if (slash == std::string_view::npos || !part(text.substr(0, slash), hi) || !part(text.substr(slash + 1), lo))
    fail_usage(fmt::format("not a WAL position: '{}'", text));
  return (std::uint64_t{hi} << 32) | lo;
}

bool is_replica(Connection& db) {
  switch (db.engine()) {
    case Engine::postgresql: return db.query_value("SELECT pg_is_in_recovery()") == "t";
    case Engine::mysql: return mysql_status_lag(db).has_value();
    case Engine::sqlite: return false;
  }
  return false;
}

std::optional<double> mysql_seconds_behind(Connection& replica) {
  auto lag = mysql_status_lag(replica);
  return lag ? *lag : std::nullopt;
}

double standbys_reported_lag(Connection& primary) {
  return std::stod(primary
                       .query_value("SELECT COALESCE(EXTRACT(EPOCH FROM max(replay_lag)), 0)::float8 "
                                    "FROM pg_stat_replication")
                       .value_or("0"));
}

ReplicaLag::ReplicaLag(Connection& primary, Connection& replica) : primary_(primary), replica_(replica) {
  if (primary.engine() != replica.engine())
    fail_usage(fmt::format("{} cannot be a replica of {}: one is {}, the other {}", replica.describe(),
                           primary.describe(), engine_name(replica.engine()), engine_name(primary.engine())));
  if (replica.engine() == Engine::sqlite) fail_usage("SQLite has no replicas");
}

std::optional<double> ReplicaLag::seconds() {
  if (replica_.engine() == Engine::mysql) return mysql_seconds_behind(replica_);
  return postgresql_seconds();
}

std::optional<double> ReplicaLag::postgresql_seconds() {
  // The primary first: a position read after the standby's could be one the
  // standby had no chance to replay yet. Its flush position: what a standby
  // can have been sent.
  const auto written = parse_lsn(primary_.query_value("SELECT pg_current_wal_flush_lsn()").value_or(""));
  const auto now = Clock::now();
  const auto replay_text = replica_.query_value("SELECT pg_last_wal_replay_lsn()");
  if (!replay_text) return std::nullopt;  // not replaying at all
  const auto replayed = parse_lsn(*replay_text);

  while (!unreplayed_.empty() && unreplayed_.front().lsn <= replayed) unreplayed_.pop_front();
  if (written > replayed && (unreplayed_.empty() || unreplayed_.back().lsn < written))
    unreplayed_.push_back({written, now});
  if (unreplayed_.empty()) return 0.0;
  return seconds_between(unreplayed_.front().seen, now);
}

}  // namespace ops::db
