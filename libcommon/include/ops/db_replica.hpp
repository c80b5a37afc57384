#pragma once
// How far a replica is behind its primary, in seconds: what a throttle
// (opsarchive --limit-lag) and a health check (opshealth db) read.
//
// The rule this keeps: a replica that has replayed everything its primary
// has written is 0 seconds behind however long the primary has been quiet,
// and one that has not is behind by at least the time since the primary's
// unreplayed position was first seen. A replica's own "received = replayed"
// is not enough: right after a commit it may not have received it yet.

#include <ops/db.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>

namespace ops::db {

// A PostgreSQL WAL position ("16/B374D848") as a number; exit 3 on anything else.
std::uint64_t parse_lsn(std::string_view text);

// Whether the server is a replica: PostgreSQL in recovery, MySQL/MariaDB with
// a replication status; a SQLite file never is.
bool is_replica(Connection& db);

// What a MySQL/MariaDB replica says of itself: Seconds_Behind_Master (or
// _Source, MySQL 8.0.22+); nullopt when replication is stopped (NULL) or the
// server is not a replica.
std::optional<double> mysql_seconds_behind(Connection& replica);

// The largest replay lag a PostgreSQL primary's standbys last reported
// (pg_stat_replication.replay_lag), 0 with none. As old as their last report.
double standbys_reported_lag(Connection& primary);

// The lag of one replica of a primary, measured across calls: PostgreSQL
// compares the standby's replay position with the primary's current position
// at each call; MySQL/MariaDB reads the replica's Seconds_Behind_Master.
class ReplicaLag {
 public:
  // Both connections must outlive this object.
  ReplicaLag(Connection& primary, Connection& replica);

  // The lag in seconds; nullopt when unknown (replication stopped).
  std::optional<double> seconds();

 private:
  // A primary position and when a call first saw it. What is already
  // unreplayed at a caller's first call counts from then: its true age is
  // unknown (a record written a moment ago, or an hour), and guessing the
  // age of the last applied commit made a quiet primary look hours behind.
  struct Sample {
    std::uint64_t lsn;
    std::chrono::steady_clock::time_point seen;
  };
  std::optional<double> postgresql_seconds();

  Connection& primary_;
  Connection& replica_;
  std::deque<Sample> unreplayed_;  // primary positions the standby had not replayed, oldest first
};

}  // namespace ops::db
