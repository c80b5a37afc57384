#include <ops/usage_thresholds.hpp>

namespace ops {

namespace {

bool crossed(const Threshold& t, const Usage& u) {
  if (t.kind == Threshold::Kind::percent) return u.use_percent() >= t.percent;
  return u.avail < t.bytes;
}

}  // namespace

Status UsageThresholds::judge(const Usage& u) const {
  auto inode = u.inode_use_percent();
  if ((crit && crossed(*crit, u)) || (inode && inode_crit && *inode >= *inode_crit)) return Status::critical;
  if ((warn && crossed(*warn, u)) || (inode && inode_warn && *inode >= *inode_warn)) return Status::warning;
  return Status::ok;
}

}  // namespace ops
