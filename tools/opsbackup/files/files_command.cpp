// opsbackup files: archive directory trees into DIR/NAME/, compressed, with a manifest.
#include "opsbackup/backup_jobs.hpp"
#include "opsbackup/backup_options.hpp"
#include "opsbackup/commands.hpp"
#include "opsbackup/files/files_backup.hpp"
#include "opsbackup/store/last_run.hpp"
#include "opsbackup/store/layout.hpp"

#include <ops/error.hpp>

namespace opsbackup {

namespace {

void add_options(ops::cli::po::options_description& d) {
  add_destination_options(d);
  ops::add_options(d, backup_job_schema(), {"source", "exclude", "one_file_system"});
}

ops::Status run(ops::cli::Context& ctx) {
  FilesBackupRequest request;
  request.name = ctx.args.front();
  check_backup_name(request.name);
  for (const auto& s : ctx.list("source")) request.sources.emplace_back(s);
  request.archive.excludes = ctx.list("exclude");
  request.archive.one_file_system = ctx.flag("one-file-system");
  request.root = backup_root(ctx);
  request.compress = compress_options(ctx);
  const auto sources = plan_sources(request.sources, request.root);
  if (ctx.common.dry_run) {
    for (const auto& s : sources)
      ctx.out << "would back up " << s.given.string() << " to " << (request.root / request.name).string() << "/\n";
    return ops::Status::ok;
  }
  BackupResult result;
  recording_last_run(request.root / request.name, ctx.warnings, [&] { result = backup_files(request); });
  report_backups(ctx, {result});
  const ops::Status status = result.manifest.warnings.empty() ? ops::Status::ok : ops::Status::warning;
  return ops::worst(status, ctx.warnings.status());  // the last-run record could not be written
}

}  // namespace

ops::cli::Subcommand files_command() {
  return {"files", "NAME", "back up directory trees (pax archive: owners, modes, links, ACLs, xattrs)", add_options,
          run, 1, 1};
}

}  // namespace opsbackup
