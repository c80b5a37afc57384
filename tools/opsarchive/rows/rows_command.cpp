// opsarchive rows: move or purge the rows of one table that match --where, in
// batches along its key.
#include "opsarchive/commands.hpp"
#include "opsarchive/rows/rows_options.hpp"
#include "opsarchive/rows/rows_report.hpp"

#include <ops/error.hpp>

namespace opsarchive {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  ops::add_options(d, rows_schema());
  d.add_options()
    ("progress", po::bool_switch(), "show a progress bar on a terminal")
    ("statistics", po::bool_switch(), "report where the time went (select, copy, delete, commit, pause)");
}

ops::Status run(ops::cli::Context& ctx) {
  const RowsSettings s = rows_settings(ops::read_options(ctx, rows_schema()));
  RowsJob job = make_rows_job(ctx.config, s, "", ctx.warnings);
  job.dry_run = ctx.common.dry_run;
  job.progress = ctx.flag("progress") && !ctx.common.quiet;

  const RowsOutcome outcome = archive_rows(job, ctx.out);
  // A password file that others may read is a warning: exit 1.
  if (job.dry_run) return ctx.warnings.status();
  ctx.metrics["rows_archived"] = static_cast<double>(outcome.rows);
  ctx.metrics["batches"] = static_cast<double>(outcome.batches);
  rows_table({{job.table.display(), job.table.display(), outcome}}, ctx.flag("statistics")).print(ctx.out, ctx.common.format);
  return ctx.warnings.status();
}

}  // namespace

ops::cli::Subcommand rows_command() {
  return {"rows", "", "move or purge the rows of a table that match --where, in batches along its key", add_options,
          run, 0, 0};
}

}  // namespace opsarchive
