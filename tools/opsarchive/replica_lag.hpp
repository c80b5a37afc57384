#pragma once
// --limit-lag: how far replicas are behind, read from the servers, so a run
// pauses instead of flooding them. PostgreSQL: the largest replay_lag the
// primary reports in pg_stat_replication, or a replica's own delay
// (now() - pg_last_xact_replay_timestamp()) when --replica names one.
// MySQL/MariaDB: a primary does not know its replicas' lag, so --replica is
// required and its Seconds_Behind_Master is read.

#include <ops/db.hpp>
#include <ops/db_target.hpp>

#include <memory>
#include <optional>

namespace opsarchive {

class ReplicaLag {
 public:
  // Exit 3 when the lag cannot be read this way (SQLite; MySQL without a
  // replica; a --replica that is not one).
  ReplicaLag(ops::db::Connection& source, const std::optional<ops::db::Target>& replica);

  // The lag in seconds; nullopt when unknown (replication stopped).
  std::optional<double> seconds();

 private:
  ops::db::Connection& source_;
  std::unique_ptr<ops::db::Connection> replica_;
};

}  // namespace opsarchive
