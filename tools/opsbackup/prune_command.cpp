// opsbackup prune: remove old backups of one NAME by a retention policy.
#include "backup_options.hpp"
#include "commands.hpp"
#include "prune.hpp"

#include <ops/error.hpp>

#include <limits>

namespace opsbackup {

namespace {

constexpr const char* kRules[] = {"keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"};

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()("dir", po::value<std::string>()->value_name("DIR"), "where the backups are (DIR/NAME/)");
  for (const char* rule : kRules)
    d.add_options()(rule, po::value<std::string>()->value_name("N"),
                    "keep the newest backup of each of the last N periods (-1: all)");
  d.add_options()("force", po::bool_switch(), "prune even when the newest run failed");
}

KeepPolicy policy_from(const ops::cli::Context& ctx) {
  KeepPolicy p;
  int* fields[] = {&p.last, &p.hourly, &p.daily, &p.weekly, &p.monthly, &p.yearly};
  for (std::size_t i = 0; i < std::size(kRules); ++i)
    *fields[i] = static_cast<int>(ctx.integer(kRules[i], -1, std::numeric_limits<int>::max()).value_or(0));
  return p;
}

ops::Status run(ops::cli::Context& ctx) {
  PruneRequest request;
  request.root = backup_root(ctx);
  request.name = ctx.args.front();
  request.policy = policy_from(ctx);
  request.force = ctx.has("force") && ctx.get<bool>("force");
  request.dry_run = ctx.common.dry_run;
  auto rows = prune_backups(request);

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
  return ops::Status::ok;
}

}  // namespace

ops::cli::Subcommand prune_command() {
  return {"prune", "NAME", "remove old backups by --keep-* rules (restic forget semantics)", add_options, run, 1, 1};
}

}  // namespace opsbackup
