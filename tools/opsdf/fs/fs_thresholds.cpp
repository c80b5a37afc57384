#include "opsdf/fs/fs_thresholds.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

namespace opsdf {

namespace {

std::optional<double> inode_percent(const ops::cli::Context& ctx, const std::string& option) {
  auto t = ctx.threshold(option);
  if (!t) return std::nullopt;
  if (t->kind != ops::Threshold::Kind::percent)
    ops::fail_usage(fmt::format("{}: inode thresholds are percentages, like 90%", ctx.source(option)));
  return t->percent;
}

}  // namespace

ops::UsageThresholds thresholds_from(const ops::cli::Context& ctx) {
  ops::UsageThresholds t;
  t.warn = ctx.threshold("warn");
  t.crit = ctx.threshold("crit");
  t.inode_warn = inode_percent(ctx, "inode-warn");
  t.inode_crit = inode_percent(ctx, "inode-crit");
  if (t.warn && t.crit && t.warn->kind == t.crit->kind) {
    bool inverted = t.warn->kind == ops::Threshold::Kind::percent ? t.warn->percent > t.crit->percent
                                                                   : t.warn->bytes < t.crit->bytes;
    if (inverted)
      ops::fail_usage(fmt::format("{} is less strict than {}: the warning must come first", ctx.source("crit"),
                                  ctx.source("warn")));
  }
  if (t.inode_warn && t.inode_crit && *t.inode_warn > *t.inode_crit)
    ops::fail_usage("--inode-warn must not be above --inode-crit");
  return t;
}

}  // namespace opsdf
