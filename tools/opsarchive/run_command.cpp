// opsarchive run: the cron job. Every [archive.NAME] of ops.conf runs in file
// order: rows moved or purged, files compressed or expired. All sections are
// checked before the first runs; one job failing does not stop the others,
// and the exit status is the worst of them.
#include "archive_jobs.hpp"
#include "commands.hpp"
#include "rows_job.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <chrono>
#include <sstream>
#include <variant>

namespace opsarchive {

namespace {

struct Job {
  std::string name;
  std::string where;
  RowsJob rows;
};

struct JobResult {
  std::string name;
  std::string kind;
  ops::Status status = ops::Status::ok;
  std::string detail;
  double seconds = 0;
};

std::vector<Job> read_jobs(const ops::cli::Context& ctx) {
  std::vector<Job> jobs;
  for (const auto& section : read_archive_sections(ctx.config)) {
    try {
      if (!is_rows_section(section))
        ops::fail_usage("a section needs 'table' (rows) or 'dir' (files)");
      Job job{section.name, section.where, make_rows_job(ctx.config, read_rows_settings(ctx.config, section), "")};
      job.rows.dry_run = ctx.common.dry_run;
      jobs.push_back(std::move(job));
    } catch (const ops::Error& e) {
      if (e.status() != ops::Status::unknown) throw;
      const std::string message = e.what();
      // Messages that already name a file and line keep theirs.
      if (message.rfind(ctx.config.path().string(), 0) == 0) throw;
      ops::fail_usage(fmt::format("{}: [archive.{}]: {}", section.where, section.name, message), e.hint());
    }
  }
  return jobs;
}

JobResult run_rows(ops::cli::Context& ctx, const Job& job) {
  JobResult r;
  r.name = job.name;
  r.kind = "rows";
  const auto start = std::chrono::steady_clock::now();
  try {
    std::ostringstream report;
    const RowsOutcome o = archive_rows(job.rows, report);
    if (job.rows.dry_run) {
      ctx.out << fmt::format("[archive.{}]\n{}", job.name, report.str());
      r.detail = "dry run";
    } else {
      const bool purged = job.rows.destination.kind == DestinationRequest::Kind::purge;
      r.detail = fmt::format("{} rows of {} {} in {} batches{}", o.rows, job.rows.table.display(),
                             purged ? "purged" : "to " + o.destination, o.batches,
                             o.stopped == "done" ? "" : " (stopped: " + o.stopped + ")");
      ctx.metrics["rows_archived"] += static_cast<double>(o.rows);
    }
  } catch (const ops::Error& e) {
    ops::log::error_line(fmt::format("{}: {}", job.name, e.what()));
    if (!e.hint().empty()) ops::log::hint_line(e.hint());
    r.status = e.status() == ops::Status::unknown ? ops::Status::unknown : ops::Status::critical;
    r.detail = e.what();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

ops::Status run(ops::cli::Context& ctx) {
  const auto jobs = read_jobs(ctx);  // every section checked before anything runs
  ops::Table table({{"name"}, {"kind"}, {"result"}, {"seconds", ops::ColumnKind::number}, {"detail"}});
  ops::Status status = ops::Status::ok;
  int failed = 0;
  for (const auto& job : jobs) {
    const JobResult r = run_rows(ctx, job);
    status = ops::worst(status, r.status);
    if (r.status != ops::Status::ok) ++failed;
    if (!ctx.common.dry_run)
      table.add_row({r.name, r.kind, std::string(r.status == ops::Status::ok ? "ok" : "FAILED"), r.seconds, r.detail});
  }
  ctx.metrics["jobs_failed"] = failed;
  if (!ctx.common.dry_run) table.print(ctx.out, ctx.common.format);
  return status;
}

}  // namespace

ops::cli::Subcommand run_command() {
  return {"run", "", "every [archive.NAME] of ops.conf, in order (for cron)", {}, run, 0, 0};
}

}  // namespace opsarchive
