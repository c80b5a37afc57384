#pragma once
// --warn/--crit and --inode-warn/--inode-crit for filesystems: a percentage of
// use, or an absolute amount of free space that must remain.

#include <ops/cli.hpp>
#include <ops/mounts.hpp>
#include <ops/status.hpp>
#include <ops/units.hpp>

#include <optional>

namespace opsdf {

struct Thresholds {
  std::optional<ops::Threshold> warn, crit;
  std::optional<double> inode_warn, inode_crit;

  ops::Status judge(const ops::Usage& u) const;
};

// Reads and checks the four options; a warning stricter than critical is a
// usage error, since it can only be a mistake.
Thresholds thresholds_from(const ops::cli::Context& ctx);

}  // namespace opsdf
