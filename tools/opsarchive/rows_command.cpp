// opsarchive rows: move or purge the rows of one table that match --where, in
// batches along its key.
#include "commands.hpp"
#include "rows_options.hpp"
#include "rows_report.hpp"

#include <ops/error.hpp>

namespace opsarchive {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("db", po::value<std::string>()->value_name("NAME|DSN"), "the source database: a [db.NAME] of ops.conf, or a DSN")
    ("password-file", po::value<std::string>()->value_name("FILE"), "password for the source (first line of FILE)")
    ("table", po::value<std::string>()->value_name("TABLE"), "the source table (SCHEMA.TABLE allowed)")
    ("where", po::value<std::string>()->value_name("SQL"),
     "which rows: an SQL condition, run as given; NOW() and its kin are fixed at the start")
    ("to-table", po::value<std::string>()->value_name("TABLE"),
     "copy into TABLE of the same database (with --to-db: of that one), then delete")
    ("to-db", po::value<std::string>()->value_name("NAME|DSN"), "copy into a table on another server, then delete")
    ("to-file", po::value<std::string>()->value_name("PATH"),
     "append to a file (.gz, .zst, .xz compress), then delete")
    ("file-format", po::value<std::string>()->value_name("csv|jsonl"), "the format of --to-file (default from its name, else csv)")
    ("purge", po::bool_switch(), "delete only")
    ("create", po::bool_switch(), "create the destination table like the source when it is missing")
    ("batch", po::value<std::string>()->value_name("N"), "rows a batch (default 1000)")
    ("sleep", po::value<std::string>()->value_name("TIME"), "pause between batches (0.5s, 250ms)")
    ("max-runtime", po::value<std::string>()->value_name("TIME"), "start no batch after TIME (30min, 2h)")
    ("max-rows", po::value<std::string>()->value_name("N"), "archive at most N rows")
    ("limit-lag", po::value<std::string>()->value_name("TIME"), "pause while a replica is further behind")
    ("replica", po::value<std::string>()->value_name("NAME|DSN"), "the replica whose lag --limit-lag reads")
    ("analyze", po::bool_switch(), "ANALYZE the tables afterwards")
    ("optimize", po::bool_switch(), "OPTIMIZE (MySQL) or VACUUM (PostgreSQL, SQLite) the tables afterwards")
    ("progress", po::bool_switch(), "show a progress bar on a terminal")
    ("statistics", po::bool_switch(), "report where the time went (select, copy, delete, commit, pause)");
}

ops::Status run(ops::cli::Context& ctx) {
  RowsSettings s;
  s.db = ctx.text("db").value_or("");
  s.password_file = ctx.text("password-file").value_or("");
  s.table = ctx.text("table").value_or("");
  s.where = ctx.text("where").value_or("");
  s.to_table = ctx.text("to-table");
  s.to_db = ctx.text("to-db");
  s.to_file = ctx.text("to-file");
  s.file_format = ctx.text("file-format");
  s.purge = ctx.flag("purge");
  s.create = ctx.flag("create");
  s.batch = ctx.integer("batch", 1, 100000);
  s.sleep = ctx.text("sleep");
  s.max_runtime = ctx.text("max-runtime");
  s.max_rows = ctx.integer("max-rows", 1, std::numeric_limits<long long>::max());
  s.limit_lag = ctx.text("limit-lag");
  s.replica = ctx.text("replica");
  s.analyze = ctx.flag("analyze");
  s.optimize = ctx.flag("optimize");
  RowsJob job = make_rows_job(ctx.config, s, "");
  job.dry_run = ctx.common.dry_run;
  job.progress = ctx.flag("progress") && !ctx.common.quiet;

  const RowsOutcome outcome = archive_rows(job, ctx.out);
  if (job.dry_run) return ops::Status::ok;
  ctx.metrics["rows_archived"] = static_cast<double>(outcome.rows);
  ctx.metrics["batches"] = static_cast<double>(outcome.batches);
  rows_table({{job.table.display(), job.table.display(), outcome}}, ctx.flag("statistics")).print(ctx.out, ctx.common.format);
  return ops::Status::ok;
}

}  // namespace

ops::cli::Subcommand rows_command() {
  return {"rows", "", "move or purge the rows of a table that match --where, in batches along its key", add_options,
          run, 0, 0};
}

}  // namespace opsarchive
