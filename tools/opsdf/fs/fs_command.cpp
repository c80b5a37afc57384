// opsdf fs: df done right — use% as df computes it, pseudo filesystems and
// snaps hidden, thresholds that set the exit status and mark the rows.
#include "opsdf/commands.hpp"
#include "opsdf/fs/fs_thresholds.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/mounts.hpp>
#include <ops/value_check.hpp>

#include <fmt/format.h>
#include <algorithm>

namespace opsdf {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("all,a", po::bool_switch(), "include pseudo, duplicate and read-only image filesystems")
    ("warn", ops::cli::checked_value(ops::threshold_check())->value_name("T"), "warning when use% reaches T (80%) or free space falls below T (10G)")
    ("crit", ops::cli::checked_value(ops::threshold_check())->value_name("T"), "critical threshold, same forms as --warn")
    ("inode-warn", ops::cli::checked_value(ops::threshold_check(true))->value_name("P%"), "warning when inode use reaches P%")
    ("inode-crit", ops::cli::checked_value(ops::threshold_check(true))->value_name("P%"), "critical when inode use reaches P%")
    ("type,t", po::value<std::vector<std::string>>()->composing()->value_name("TYPE"), "only filesystems of this type (repeatable)")
    ("exclude-type", po::value<std::vector<std::string>>()->composing()->value_name("TYPE"), "hide filesystems of this type (repeatable)");
}

// Which mounts to show: those holding the given paths, or every real one.
std::vector<ops::MountUsage> select(ops::cli::Context& ctx, bool all) {
  auto mounts = ops::read_mounts();
  std::vector<const ops::Mount*> chosen;
  if (!ctx.args.empty()) {
    for (const auto& arg : ctx.args) {
      const ops::Mount* m = &ops::mount_holding(mounts, arg);
      if (std::find(chosen.begin(), chosen.end(), m) == chosen.end()) chosen.push_back(m);
    }
  } else {
    chosen = ops::select_mounts(mounts, ops::MountFilter{all, ctx.list("type"), ctx.list("exclude-type")});
  }
  // df hides empty pseudo mounts too, unless asked for them or for a path on one.
  return ops::usage_of_each(chosen, !ctx.args.empty() || all, ctx.warnings);
}

ops::Status run(ops::cli::Context& ctx) {
  ops::UsageThresholds limits = thresholds_from(ctx);
  bool all = ctx.flag("all");
  auto rows = select(ctx, all);
  ops::Table table({{"mounted_on", ops::ColumnKind::text, "MOUNTED ON"},
                    {"device", ops::ColumnKind::text},
                    {"type", ops::ColumnKind::text},
                    {"size", ops::ColumnKind::bytes},
                    {"used", ops::ColumnKind::bytes},
                    {"avail", ops::ColumnKind::bytes},
                    {"use_percent", ops::ColumnKind::percent, "USE%"},
                    {"inode_use_percent", ops::ColumnKind::percent, "IUSE%"},
                    {"status", ops::ColumnKind::text}});
  ops::Status status = ops::Status::ok;
  std::uint64_t worst_percent = 0;
  for (const auto& r : rows) {
    ops::Status row_status = limits.judge(r.usage);
    status = ops::worst(status, row_status);
    worst_percent = std::max(worst_percent, static_cast<std::uint64_t>(r.usage.use_percent()));
    ops::Cell inode_cell;
    if (auto ip = r.usage.inode_use_percent()) inode_cell = *ip;
    bool text = ctx.common.format == ops::Format::text;
    ops::Cell status_cell = std::string(row_status == ops::Status::ok && text ? "" : ops::status_name(row_status));
    table.add_row({r.mount.mount_point, r.mount.device, r.mount.type, static_cast<std::int64_t>(r.usage.size),
                   static_cast<std::int64_t>(r.usage.used), static_cast<std::int64_t>(r.usage.avail),
                   r.usage.use_percent(), inode_cell, status_cell});
  }
  table.print(ctx.out, ctx.common.format);
  ctx.metrics["filesystems"] = static_cast<double>(rows.size());
  ctx.metrics["max_use_percent"] = static_cast<double>(worst_percent);
  return ops::worst(status, ctx.warnings.status());  // a filesystem whose usage could not be read
}

}  // namespace

ops::cli::Subcommand fs_command() {
  return {"fs", "[PATH...]", "usage of each real filesystem, or of those holding PATHs", add_options, run};
}

}  // namespace opsdf
