// opsdb analyze|vacuum|optimize|check|reindex NAME|DSN: one verb over the
// chosen tables of one database, one line per table.
#include "opsdb/commands.hpp"
#include "opsdb/upkeep/report.hpp"
#include "opsdb/upkeep/runner.hpp"

#include <ops/db_target.hpp>

namespace opsdb {

namespace {

std::string summary_of(std::string_view verb) {
  if (verb == "analyze") return "refresh the planner's statistics of each table (ANALYZE)";
  if (verb == "vacuum") return "give back dead rows' space for reuse and refresh statistics (VACUUM ANALYZE)";
  if (verb == "optimize") return "rebuild each table and give its free space back (MySQL/MariaDB OPTIMIZE TABLE)";
  if (verb == "check") return "look for corruption (CHECK TABLE, amcheck, PRAGMA integrity_check)";
  return "rebuild each table's indexes (REINDEX, CONCURRENTLY where the server has it)";
}

ops::Status run_verb(ops::cli::Context& ctx, const Verb& verb) {
  UpkeepRequest request;
  request.verb = &verb;
  request.settings = upkeep_settings(ops::read_options(ctx, upkeep_schema()));
  request.target = ops::db::resolve_target(ctx.config, ctx.args.front(), ctx.warnings, request.settings.password_file);
  request.dry_run = ctx.common.dry_run;
  const UpkeepReport report = run_upkeep(request, ctx.warnings);
  print_report(ctx.out, ctx.common.format, report, request.dry_run);
  add_metrics(ctx.metrics, report);
  return ops::worst(report.status, ctx.warnings.status());
}

}  // namespace

std::vector<ops::cli::Subcommand> upkeep_commands() {
  std::vector<ops::cli::Subcommand> commands;
  for (const Verb* verb : all_verbs()) {
    commands.push_back(ops::cli::Subcommand{
        std::string(verb->name()), "NAME|DSN", summary_of(verb->name()),
        [](ops::cli::po::options_description& options) { ops::add_options(options, upkeep_schema()); },
        [verb](ops::cli::Context& ctx) { return run_verb(ctx, *verb); }, 1, 1});
  }
  return commands;
}

}  // namespace opsdb
