// opsarchive run: the cron job. Every [archive.NAME] of ops.conf runs in file
// order: rows moved or purged, files compressed or expired. All sections are
// checked before the first runs; one job failing does not stop the others,
// and the exit status is the worst of them.
#include "opsarchive/archive_jobs.hpp"
#include "opsarchive/commands.hpp"
#include "opsarchive/files/files_job.hpp"
#include "opsarchive/rows/rows_job.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <sstream>

namespace opsarchive {

namespace {

struct JobResult {
  std::string name;
  std::string kind;
  ops::Status status = ops::Status::ok;
  std::string detail;
  double seconds = 0;
};

void run_rows(ops::cli::Context& ctx, const std::string& name, const RowsJob& job, JobResult& r) {
  std::ostringstream report;
  const RowsOutcome o = archive_rows(job, report);
  if (job.dry_run) {
    ctx.out << fmt::format("[archive.{}]\n{}", name, report.str());
    r.detail = "dry run";
    return;
  }
  const bool purged = job.destination.kind == DestinationRequest::Kind::purge;
  r.detail = fmt::format("{} rows of {} {} in {} batches{}", o.rows, job.table.display(),
                         purged ? "purged" : "to " + o.destination, o.batches,
                         o.stopped == "done" ? "" : " (stopped: " + o.stopped + ")");
  ctx.metrics["rows_archived"] += static_cast<double>(o.rows);
}

void run_files(ops::cli::Context& ctx, const std::string& name, const FilesJob& job, JobResult& r) {
  const FilesOutcome o = archive_files(job);
  r.status = o.status;  // a dry run too: what it warned of (or failed at) sets the exit, as in `opsarchive files -n`
  if (job.dry_run) {
    ctx.out << fmt::format("[archive.{}]\n", name);
    for (const auto& a : o.actions) ctx.out << a.action << " " << a.path.string() << "\n";
    r.detail = "dry run";
    return;
  }
  r.detail = fmt::format("{} compressed, {} archived, {} deleted, {} freed", o.files_compressed, o.files_archived,
                         o.files_deleted, ops::format_size(static_cast<std::uint64_t>(std::max<std::int64_t>(0, o.bytes_freed))));
  ctx.metrics["files_compressed"] += static_cast<double>(o.files_compressed);
  ctx.metrics["files_archived"] += static_cast<double>(o.files_archived);
  ctx.metrics["files_deleted"] += static_cast<double>(o.files_deleted);
  ctx.metrics["bytes_freed"] += static_cast<double>(o.bytes_freed);
}

JobResult run_job(ops::cli::Context& ctx, const ArchiveJob& job) {
  JobResult r;
  r.name = job.name;
  r.kind = job.rows ? "rows" : "files";
  const auto start = std::chrono::steady_clock::now();
  try {
    if (job.rows) run_rows(ctx, job.name, *job.rows, r);
    else run_files(ctx, job.name, *job.files, r);
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
  const auto jobs = read_archive_jobs(ctx.config, ctx.common.dry_run, ctx.warnings);  // every section checked before anything runs
  ops::Table table({{"name"}, {"kind"}, {"result"}, {"seconds", ops::ColumnKind::number}, {"detail"}});
  ops::Status status = ops::Status::ok;
  int failed = 0;
  for (const auto& job : jobs) {
    const JobResult r = run_job(ctx, job);
    status = ops::worst(status, r.status);
    if (r.status != ops::Status::ok && r.status != ops::Status::warning) ++failed;
    if (!ctx.common.dry_run)
      table.add_row({r.name, r.kind,
                     std::string(r.status == ops::Status::ok        ? "ok"
                                 : r.status == ops::Status::warning ? "warning"
                                                                    : "FAILED"),
                     r.seconds, r.detail});
  }
  ctx.metrics["jobs_failed"] = failed;
  if (!ctx.common.dry_run) table.print(ctx.out, ctx.common.format);
  return ops::worst(status, ctx.warnings.status());  // a password file others may read
}

}  // namespace

ops::cli::Subcommand run_command() {
  return {"run", "", "every [archive.NAME] of ops.conf, in order (for cron)", {}, run, 0, 0};
}

}  // namespace opsarchive
