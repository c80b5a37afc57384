#pragma once
// Limits on a filesystem's usage that set a status: warn/crit as a percentage
// of use (80%) or as free space that must remain (2G), and inode use in
// percent. opsdf fs judges each row by it; a disk health check does the same.

#include <ops/mounts.hpp>
#include <ops/status.hpp>
#include <ops/units.hpp>

#include <optional>

namespace ops {

struct UsageThresholds {
  std::optional<Threshold> warn, crit;
  std::optional<double> inode_warn, inode_crit;

  // Reaching a percentage counts (use_percent() >= 80), as does free space
  // below an amount (avail < 2G); no inode figures (btrfs) judge nothing.
  Status judge(const Usage& u) const;
};

}  // namespace ops
