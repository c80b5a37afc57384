#include "opsarchive/rows/lag_source.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

namespace opsarchive {

using ops::db::Engine;

LagSource::LagSource(ops::db::Connection& source, const std::optional<ops::db::Target>& replica) : source_(source) {
  if (source.engine() == Engine::sqlite) ops::fail_usage("--limit-lag: SQLite has no replicas");
  if (!replica) {
    if (source.engine() == Engine::mysql)
      ops::fail_usage("--limit-lag on MySQL/MariaDB needs --replica NAME|DSN: a primary does not know its replicas' lag");
    return;
  }
  replica_ = ops::db::connect(replica->dsn, replica->options);
  if (!ops::db::is_replica(*replica_))
    ops::fail_usage(fmt::format("--replica {}: the server is not a replica ({})", replica_->describe(),
                                replica_->engine() == Engine::mysql ? "SHOW REPLICA STATUS is empty"
                                                                    : "not in recovery"));
  lag_ = std::make_unique<ops::db::ReplicaLag>(source_, *replica_);
}

std::optional<double> LagSource::seconds() {
  if (lag_) return lag_->seconds();
  return ops::db::standbys_reported_lag(source_);
}

}  // namespace opsarchive
