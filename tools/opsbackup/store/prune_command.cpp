// opsbackup prune: remove old backups of one NAME by a retention policy.
#include "opsbackup/backup_jobs.hpp"
#include "opsbackup/backup_options.hpp"
#include "opsbackup/commands.hpp"
#include "opsbackup/store/layout.hpp"
#include "opsbackup/store/prune.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>


namespace opsbackup {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()("dir", po::value<std::string>()->value_name("DIR"), "where the backups are (DIR/NAME/)");
  add_keep_options(d);
  d.add_options()("force", po::bool_switch(), "prune even when the newest run failed");
}

// "--keep-last 0" alone keeps nothing: name that rule, rather than say no
// rule was given. (0 stays a way to turn one rule off beside others.)
void refuse_rules_keeping_nothing(const ops::cli::Context& ctx, const KeepPolicy& policy) {
  if (!policy.empty()) return;
  const ops::SectionValues values = ops::read_options(ctx, backup_job_schema(), keep_keys());
  std::string culprit;
  for (const auto& key : keep_keys()) {
    if (!values.given(key)) continue;
    const std::string where = values.where(key);
    if (culprit.empty() || (where.starts_with("--") && !culprit.starts_with("--"))) culprit = where;
  }
  if (culprit.empty()) return;  // no rule at all: prune_backups says so
  ops::fail_usage(fmt::format("{}: 0 keeps nothing, and no other --keep-* rule keeps a backup "
                              "(prune would remove every backup but the newest)",
                              culprit),
                  "give N of 1 or more (-1: every period), e.g. --keep-daily 7 --keep-weekly 4");
}

ops::Status run(ops::cli::Context& ctx) {
  PruneRequest request;
  request.root = backup_root(ctx);
  request.name = ctx.args.front();
  request.policy = keep_policy(ctx);
  refuse_rules_keeping_nothing(ctx, request.policy);
  existing_backup_dir(request.root, request.name);  // an unknown NAME is a usage error, not nothing to prune
  request.force = ctx.flag("force");
  request.dry_run = ctx.common.dry_run;
  auto rows = prune_backups(request, ctx.warnings);

  ops::Table table({{"backup", ops::ColumnKind::text},
                    {"time", ops::ColumnKind::text},
                    {"action", ops::ColumnKind::text},
                    {"reason", ops::ColumnKind::text}});
  std::int64_t removed = 0;
  for (const auto& r : rows) {
    std::string action = r.action;
    if (r.action != "keep") {
      ++removed;
      if (!request.dry_run) action = r.action == "remove" ? "removed" : "removed-leftover";
    }
    table.add_row({r.stem, r.time == ops::SysTime{} ? std::string("") : ops::format_time(r.time), action, r.reasons});
  }
  table.print(ctx.out, ctx.common.format);
  ctx.metrics["backups_removed"] = request.dry_run ? 0.0 : static_cast<double>(removed);
  return ctx.warnings.status();  // a last-run record that could not be read
}

}  // namespace

ops::cli::Subcommand prune_command() {
  return {"prune", "NAME", "remove old backups by --keep-* rules (restic forget semantics)", add_options, run, 1, 1};
}

}  // namespace opsbackup
