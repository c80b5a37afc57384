#pragma once
// What a person running `opsdb bloat` wants decided: which relations waste
// enough to warn about (--warn/--crit, a size or a percentage), how close
// PostgreSQL is to transaction-ID wraparound, which opsdb command gives the
// space back, and which rows to show (--min-size, --top, most wasted first).

#include "opsdb/bloat/bloat.hpp"

#include <ops/units.hpp>

#include <cstdint>
#include <optional>

namespace opsdb {

struct BloatLimits {
  std::optional<ops::Threshold> warn, crit;  // unset: waste alone never sets the exit status
  std::uint64_t min_size = 80 * 1024;        // ten PostgreSQL pages
  std::size_t top = 0;                       // 0: every relation
};

// A rewrite (vacuum --full, reindex, optimize, SQLite's vacuum) is named for
// a relation that wastes at least this share of itself: the estimate's own
// error is a few percent, and a rewrite is not a light thing.
inline constexpr double kRewriteWorthPercent = 10.0;

// The share of 2^31 past which wraparound is critical: a quarter of the IDs
// (about 537 million transactions) left.
inline constexpr double kWraparoundCriticalPercent = 75.0;

// Warning once older than autovacuum_freeze_max_age (autovacuum should have
// frozen it by then: it is behind, or something holds the oldest
// transaction back); critical past kWraparoundCriticalPercent of 2^31.
ops::Status wraparound_status(std::int64_t age, std::int64_t freeze_max_age);

// The status --warn and --crit give a relation's waste (reaching a limit
// counts); a relation not estimated is ok.
ops::Status waste_status(const Relation& relation, const BloatLimits& limits);

// The opsdb command that gives the relation's space back, or "" when there is
// nothing worth it.
std::string reclaim_command(ops::db::Engine engine, const Relation& relation);

// Judges every relation and the wraparound, sets each row's status and
// reclaim, leaves out those below --min-size (SQLite's "(database)" row
// never) and beyond --top, sorts by waste, and sets report.status.
void judge(BloatReport& report, const BloatLimits& limits);

}  // namespace opsdb
