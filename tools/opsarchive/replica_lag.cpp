#include "replica_lag.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

#include <string>

namespace opsarchive {

namespace {

using ops::db::Engine;

// SHOW SLAVE STATUS (SHOW REPLICA STATUS in newer servers): nullopt when the
// server is not a replica; the lag, or a NULL lag (replication stopped).
std::optional<std::optional<double>> mysql_replica_lag(ops::db::Connection& db) {
  auto c = db.query("SHOW SLAVE STATUS");
  if (!c->next()) return std::nullopt;
  for (std::size_t i = 0; i < c->columns(); ++i) {
    if (c->column_name(i) != "Seconds_Behind_Master") continue;
    const auto v = c->get(i);
    return v ? std::optional<double>(std::stod(std::string(*v))) : std::nullopt;
  }
  return std::optional<double>{};
}

}  // namespace

ReplicaLag::ReplicaLag(ops::db::Connection& source, const std::optional<ops::db::Target>& replica) : source_(source) {
  if (source.engine() == Engine::sqlite) ops::fail_usage("--limit-lag: SQLite has no replicas");
  if (!replica) {
    if (source.engine() == Engine::mysql)
      ops::fail_usage("--limit-lag on MySQL/MariaDB needs --replica NAME|DSN: a primary does not know its replicas' lag");
    return;
  }
  replica_ = ops::db::connect(replica->dsn, replica->options);
  if (replica_->engine() == Engine::mysql && !mysql_replica_lag(*replica_))
    ops::fail_usage(fmt::format("--replica {}: the server is not a replica (SHOW SLAVE STATUS is empty)",
                                replica_->describe()));
  if (replica_->engine() == Engine::postgresql && replica_->query_value("SELECT pg_is_in_recovery()") != "t")
    ops::fail_usage(fmt::format("--replica {}: the server is not a replica (not in recovery)", replica_->describe()));
}

std::optional<double> ReplicaLag::seconds() {
  if (!replica_)
    return std::stod(source_
                         .query_value("SELECT COALESCE(EXTRACT(EPOCH FROM max(replay_lag)), 0)::float8 "
                                      "FROM pg_stat_replication")
                         .value_or("0"));
  if (replica_->engine() == Engine::mysql) {
    auto lag = mysql_replica_lag(*replica_);
    return lag ? *lag : std::nullopt;
  }
  // A standby that has replayed all it received is not behind, however long
  // ago the primary last committed: the age of the last replayed commit
  // alone would hold an archive run on a quiet primary for ever, as nothing
  // commits while it waits.
  const auto v = replica_->query_value(
      "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
      "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END::float8");
  return v ? std::optional<double>(std::stod(*v)) : std::nullopt;
}

}  // namespace opsarchive
