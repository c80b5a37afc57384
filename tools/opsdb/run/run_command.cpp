// opsdb run: the monthly upkeep for cron. Every [dbupkeep.NAME] of ops.conf,
// in file order, runs its verbs in order; all sections are checked before the
// first runs. A database that cannot be reached, or a verb that fails, does
// not stop the others; the exit status is the worst of them.
#include "opsdb/commands.hpp"
#include "opsdb/run/dbupkeep_sections.hpp"
#include "opsdb/upkeep/report.hpp"
#include "opsdb/upkeep/runner.hpp"

#include <ops/db_target.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

namespace opsdb {

namespace {

ops::Status run(ops::cli::Context& ctx) {
  const auto jobs = read_upkeep_jobs(ctx.config);
  if (jobs.empty())
    ops::fail_usage(fmt::format("no [dbupkeep.NAME] section in {}",
                                ctx.config.path().empty() ? "the configuration" : ctx.config.path().string()),
                    "add e.g. [dbupkeep.app] with database = app (a [db.NAME] section or a DSN)");
  std::vector<ops::db::Target> targets;  // every database named resolves before anything runs
  for (const auto& job : jobs)
    targets.push_back(ops::db::resolve_target(ctx.config, job.database, ctx.warnings, job.settings.password_file));

  ops::Table table(report_columns({ops::Column{"name"}, ops::Column{"verb"}}));
  ops::Status status = ops::Status::ok;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const UpkeepJob& job = jobs[i];
    const auto verbs = job.verbs_given ? job.verbs : default_verbs(targets[i].dsn.engine);
    for (const Verb* verb : verbs) {
      UpkeepRequest request{verb, targets[i], job.settings, ctx.common.dry_run};
      try {
        const UpkeepReport report = run_upkeep(request, ctx.warnings);
        status = ops::worst(status, report.status);
        add_metrics(ctx.metrics, report);
        if (ctx.common.dry_run && report.unsupported.empty()) {
          ctx.out << fmt::format("-- [dbupkeep.{}] {}\n", job.name, verb->name());
          print_dry_run(ctx.out, report);
        } else {
          add_report_rows(table, report, {job.name, std::string(verb->name())});
        }
      } catch (const ops::Error& e) {
        // The database is unreachable or its catalogue unreadable: the rest of
        // this section would fail the same way; the next section still runs.
        ops::log::error_line(fmt::format("[dbupkeep.{}] {}: {}", job.name, verb->name(), e.what()));
        if (!e.hint().empty()) ops::log::hint_line(e.hint());
        status = ops::worst(status, e.status() == ops::Status::unknown ? ops::Status::unknown : ops::Status::critical);
        ctx.metrics["databases_failed"] += 1;
        table.add_row({job.name, std::string(verb->name()), "(database)", "failed", std::monostate{},
                       std::monostate{}, std::monostate{}, e.what()});
        break;
      }
    }
  }
  if (table.size() > 0) table.print(ctx.out, ctx.common.format);
  return ops::worst(status, ctx.warnings.status());
}

}  // namespace

ops::cli::Subcommand run_command() {
  return {"run", "", "every [dbupkeep.NAME] of ops.conf, its verbs in order (the monthly cron job)", {}, run, 0, 0};
}

}  // namespace opsdb
