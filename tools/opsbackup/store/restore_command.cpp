// opsbackup restore: put a backup back into a database (--to) or, for file
// backups, into a directory (--to-dir).
#include "opsbackup/backup_options.hpp"
#include "opsbackup/commands.hpp"
#include "opsbackup/db/restore.hpp"
#include "opsbackup/files/restore_files.hpp"
#include "opsbackup/store/verify.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

namespace opsbackup {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("dir", po::value<std::string>()->value_name("DIR"), "where the backups are, for BACKUP given as a NAME")
    ("to", po::value<std::string>()->value_name("NAME|DSN"), "the database to restore into (must be empty)")
    ("to-dir", po::value<std::string>()->value_name("DIR"), "the directory to restore a files backup into (new or empty)")
    ("password-file", po::value<std::string>()->value_name("FILE"), "password for the --to database")
    ("force", po::bool_switch(),
     "restore into a database that has tables or a directory that is not empty, or replace a SQLite file; "
     "restore a backup that does not match its manifest or failed verification");
}

// A backup is restored only when it is the file its manifest describes (size
// and SHA-256, checked by reading it once before the target is touched) and
// no verification found it bad: exit 2 naming the check, nothing changed.
// --force restores it anyway, with a warning. Runs for -n too.
void refuse_untrusted(ops::cli::Context& ctx, const std::filesystem::path& manifest_file, const Manifest& m) {
  std::string problem;
  if (m.verified && !m.verified->ok)
    problem = fmt::format("{} failed verification ({}): {}", manifest_file.string(), m.verified->how,
                          m.verified->detail);
  else if (auto same = check_against_manifest(manifest_file, m); !same.ok)
    problem = same.detail;
  if (problem.empty()) return;
  if (!ctx.flag("force")) ops::fail(problem + "; not restoring it (--force restores it anyway)");
  ctx.warnings.add("{}; restoring it anyway (--force)", problem);
}

// --dir, when given (BACKUP may be a file or DIR/NAME instead).
std::filesystem::path store_root(const ops::cli::Context& ctx) { return path_option(ctx, "dir").value_or(""); }

ops::Status run_files(ops::cli::Context& ctx, const std::filesystem::path& to_dir) {
  FilesRestoreRequest request;
  request.manifest_file = find_manifest(ctx.args.front(), store_root(ctx));
  request.manifest = read_manifest(request.manifest_file);
  request.to_dir = to_dir;
  request.force = ctx.flag("force");
  refuse_untrusted(ctx, request.manifest_file, request.manifest);
  if (ctx.common.dry_run) {
    check_files_restore(request);  // restore_files() checks the same as it goes
    ctx.out << fmt::format("would restore {} into {}\n", request.manifest_file.string(), to_dir.string());
    return ctx.warnings.status();
  }
  auto result = restore_files(request);
  ctx.out << fmt::format("restored {} into {} ({} entries)\n", request.manifest.file, to_dir.string(), result.entries);
  return result.warnings.empty() ? ctx.warnings.status() : ops::Status::warning;
}

ops::Status run(ops::cli::Context& ctx) {
  auto to = ctx.text("to");
  auto to_dir = path_option(ctx, "to-dir");
  if (to && to_dir) ops::fail_usage("give either --to (a database) or --to-dir (a directory), not both");
  if (to_dir) return run_files(ctx, *to_dir);
  if (!to) ops::fail_usage("restore needs --to NAME|DSN (a database) or --to-dir DIR (a files backup)");
  RestoreRequest request;
  request.manifest_file = find_manifest(ctx.args.front(), store_root(ctx));
  request.manifest = read_manifest(request.manifest_file);
  request.target = ops::db::resolve_target(ctx.config, *to, ctx.warnings, ctx.text("password-file").value_or(""));
  request.force = ctx.flag("force");
  refuse_untrusted(ctx, request.manifest_file, request.manifest);
  if (ctx.common.dry_run) {
    check_database_target(request);  // restore_database() checks it itself (one connection)
    ctx.out << fmt::format("would restore {} into {}\n", request.manifest_file.string(), request.target.dsn.display());
    return ctx.warnings.status();
  }
  restore_database(request);
  ctx.out << fmt::format("restored {} into {}\n", request.manifest.file, request.target.dsn.display());
  return ctx.warnings.status();  // a password file others may read
}

}  // namespace

ops::cli::Subcommand restore_command() {
  return {"restore", "BACKUP", "restore a backup into an empty database or directory", add_options, run, 1, 1};
}

}  // namespace opsbackup
