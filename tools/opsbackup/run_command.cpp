// opsbackup run: the cron job. Every [backup.NAME] of ops.conf is backed up,
// the new backup verified, and only then are old ones pruned. One job failing
// does not stop the others; the exit status is the worst of them.
#include "opsbackup/backup_jobs.hpp"
#include "opsbackup/backup_options.hpp"
#include "opsbackup/commands.hpp"
#include "opsbackup/db/db_backup.hpp"
#include "opsbackup/files/files_backup.hpp"
#include "opsbackup/store/last_run.hpp"
#include "opsbackup/store/layout.hpp"
#include "opsbackup/store/prune.hpp"
#include "opsbackup/store/verify.hpp"

#include <ops/backup_store.hpp>
#include <ops/db_target.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

namespace opsbackup {

namespace {

namespace fs = std::filesystem;

void add_options(ops::cli::po::options_description& d) {
  add_destination_options(d);
  add_keep_options(d);
}

struct JobOutcome {
  std::string name;
  ops::Status status = ops::Status::ok;
  std::string result;  // "ok", "FAILED", "verify-failed"
  std::uint64_t bytes = 0;
  double seconds = 0;
  int pruned = 0;
  std::string detail;
};

ops::CompressOptions job_compression(const ops::cli::Context& ctx, const BackupJob& job) {
  ops::CompressOptions c = compress_options(ctx, job.pg_format == "custom" ? ops::Compression::none
                                                                           : ops::Compression::gzip);
  if (job.compress) c.format = *job.compress;
  if (job.level) c.level = ops::resolve_level(c.format, *job.level);
  else if (job.compress) c.level = -1;  // the job's format, its default level
  return c;
}

BackupResult back_up(ops::cli::Context& ctx, const BackupJob& job, const fs::path& root) {
  if (job.database.empty()) {
    FilesBackupRequest request;
    request.name = job.name;
    request.sources.assign(job.sources.begin(), job.sources.end());
    request.archive.excludes = job.excludes;
    request.archive.one_file_system = job.one_file_system;
    request.root = root;
    request.compress = job_compression(ctx, job);
    return backup_files(request);
  }
  DatabaseBackupRequest request;
  request.name = job.name;
  request.target = ops::db::resolve_target(ctx.config, job.database, ctx.warnings, job.password_file);
  request.root = root;
  request.compress = job_compression(ctx, job);
  request.pg_format = job.pg_format == "custom" ? PgFormat::custom : PgFormat::plain;
  request.globals = job.globals;
  return backup_database(request);
}

JobOutcome run_job(ops::cli::Context& ctx, const BackupJob& job, const fs::path& root, const KeepPolicy& defaults) {
  JobOutcome outcome;
  outcome.name = job.name;
  const auto steady = std::chrono::steady_clock::now();
  BackupResult result;
  try {
    recording_last_run(root / job.name, ctx.warnings, [&] { result = back_up(ctx, job, root); });
  } catch (const ops::Error& e) {
    ops::log::error_line(fmt::format("{}: {}", job.name, e.what()));
    return {job.name, e.status(), "FAILED", 0, 0, 0, e.what()};
  }
  outcome.bytes = result.manifest.size;
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - steady).count();
  if (!result.manifest.warnings.empty()) outcome.status = ops::Status::warning;

  // Nothing old goes before the new backup has proved readable.
  VerifyOutcome verified = verify_backup(result.manifest_path, result.manifest);
  result.manifest.verified = Verification{ops::now(), "checksum", verified.ok, verified.detail};
  write_manifest(result.manifest_path, result.manifest);
  if (!verified.ok) {
    // The run failed after all: its record says so, as a failed backup's does.
    record_last_run(root / job.name,
                    {result.manifest.started, false, "the new backup failed verification: " + verified.detail},
                    ctx.warnings);
    ops::log::error_line(fmt::format("{}: the new backup failed verification: {}", job.name, verified.detail));
    return {job.name, ops::Status::critical, "verify-failed", outcome.bytes, outcome.seconds, 0, verified.detail};
  }

  const KeepPolicy policy = job.keep.value_or(defaults);
  if (!policy.empty()) {
    try {
      for (const auto& row : prune_backups({root, job.name, policy, false, ctx.common.dry_run}, ctx.warnings))
        if (row.action != "keep") ++outcome.pruned;
    } catch (const ops::Error& e) {
      ops::log::error_line(fmt::format("{}: prune: {}", job.name, e.what()));
      outcome.status = ops::worst(outcome.status, ops::Status::critical);
      outcome.detail = std::string("prune: ") + e.what();
    }
  }
  outcome.result = outcome.status == ops::Status::ok ? "ok" : outcome.status == ops::Status::warning ? "warning" : "FAILED";
  if (outcome.detail.empty()) outcome.detail = result.data_path.filename().string();
  return outcome;
}

// The time the newest complete backup of NAME finished, for the metric of a
// job that failed this time (its last success did not move). The same
// reading as opshealth's `backup NAME`: unreadable manifests are passed over.
double last_success(const fs::path& root, const std::string& name) {
  const auto newest = ops::backup::newest_complete_backup(root / name, name);
  return newest.backup ? static_cast<double>(newest.backup->manifest.finished.time_since_epoch().count()) : 0;
}

ops::Status run(ops::cli::Context& ctx) {
  const auto jobs = read_backup_jobs(ctx.config);  // all checked before anything runs
  const fs::path root = backup_root(ctx);
  const KeepPolicy defaults = keep_policy(ctx);
  // Every job's compression and database are checked now, not when its turn comes.
  for (const auto& job : jobs) {
    try {
      job_compression(ctx, job);
      if (!job.database.empty()) ops::db::resolve_target(ctx.config, job.database, ctx.warnings, job.password_file);
      else plan_sources({job.sources.begin(), job.sources.end()}, root);
    } catch (const ops::Error& e) {
      if (e.status() != ops::Status::unknown) throw;
      ops::fail_usage(fmt::format("{}: [backup.{}]: {}", job.where, job.name, e.what()), e.hint());
    }
  }
  if (ctx.common.dry_run) {
    for (const auto& job : jobs)
      ctx.out << fmt::format("would back up {} ({}) to {}/\n", job.name,
                             job.database.empty() ? "files" : job.database, (root / job.name).string());
    return ops::Status::ok;
  }

  ops::Table table({{"name", ops::ColumnKind::text},
                    {"result", ops::ColumnKind::text},
                    {"size", ops::ColumnKind::bytes},
                    {"seconds", ops::ColumnKind::integer},
                    {"pruned", ops::ColumnKind::integer},
                    {"detail", ops::ColumnKind::text}});
  ops::Status worst = ops::Status::ok;
  for (const auto& job : jobs) {
    JobOutcome o = run_job(ctx, job, root, defaults);
    worst = ops::worst(worst, o.status);
    table.add_row({o.name, o.result, static_cast<std::int64_t>(o.bytes), static_cast<std::int64_t>(o.seconds),
                   static_cast<std::int64_t>(o.pruned), o.detail});
    const std::string label = ops::metric_labels({{"name", o.name}});
    const bool ok = o.status == ops::Status::ok || o.status == ops::Status::warning;
    ctx.metrics["backup_ok" + label] = ok ? 1 : 0;
    ctx.metrics["backup_last_success_timestamp_seconds" + label] = last_success(root, o.name);
    if (ok) {
      ctx.metrics["backup_bytes" + label] = static_cast<double>(o.bytes);
      ctx.metrics["backup_duration_seconds" + label] = o.seconds;
    }
  }
  table.print(ctx.out, ctx.common.format);
  // A job's table row says "ok" when only its password file or its last-run
  // record gave a warning; the exit status says warning all the same.
  return ops::worst(worst, ctx.warnings.status());
}

}  // namespace

ops::cli::Subcommand run_command() {
  return {"run", "", "the cron job: back up, verify and prune every [backup.NAME] of ops.conf", add_options, run, 0, 0};
}

}  // namespace opsbackup
