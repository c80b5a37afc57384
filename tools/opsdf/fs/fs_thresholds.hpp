#pragma once
// opsdf fs's --warn/--crit and --inode-warn/--inode-crit, read into the
// limits libcommon judges a filesystem's usage by (ops/usage_thresholds.hpp).

#include <ops/cli.hpp>
#include <ops/usage_thresholds.hpp>

namespace opsdf {

// Reads and checks the four options; a warning stricter than critical is a
// usage error, since it can only be a mistake.
ops::UsageThresholds thresholds_from(const ops::cli::Context& ctx);

}  // namespace opsdf
