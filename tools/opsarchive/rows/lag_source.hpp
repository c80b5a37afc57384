#pragma once
// --limit-lag: where the lag is read, so a run pauses instead of flooding the
// replicas. With --replica, that replica's lag behind the source
// (ops::db::ReplicaLag); without, on PostgreSQL, the largest lag the source's
// standbys last reported. A MySQL/MariaDB primary does not know its replicas'
// lag, so there --replica is required.

#include <ops/db.hpp>
#include <ops/db_replica.hpp>
#include <ops/db_target.hpp>

#include <memory>
#include <optional>

namespace opsarchive {

class LagSource {
 public:
  // Exit 3 when the lag cannot be read this way (SQLite; MySQL without a
  // replica; a --replica that is not one).
  LagSource(ops::db::Connection& source, const std::optional<ops::db::Target>& replica);

  // The lag in seconds; nullopt when unknown (replication stopped).
  std::optional<double> seconds();

 private:
  ops::db::Connection& source_;
  std::unique_ptr<ops::db::Connection> replica_;
  std::unique_ptr<ops::db::ReplicaLag> lag_;
};

}  // namespace opsarchive
