// opsbackup db: dump one database into DIR/NAME/, compressed, with a manifest.
#include "opsbackup/backup_jobs.hpp"
#include "opsbackup/backup_options.hpp"
#include "opsbackup/commands.hpp"
#include "opsbackup/db/db_backup.hpp"
#include "opsbackup/store/last_run.hpp"
#include "opsbackup/store/layout.hpp"

#include <ops/db_target.hpp>
#include <ops/error.hpp>

namespace opsbackup {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  add_destination_options(d);
  d.add_options()
    ("name", po::value<std::string>()->value_name("NAME"), "backup name (default: the [db.NAME] name, or the database's)");
  ops::add_options(d, backup_job_schema(), {"pg_format", "globals", "password_file"});
}

PgFormat pg_format(const ops::cli::Context& ctx) {
  auto text = ctx.text("pg-format").value_or("plain");
  if (text == "plain") return PgFormat::plain;
  if (text == "custom") return PgFormat::custom;
  ops::fail_usage("bad value '" + text + "' for " + ctx.source("pg-format"), "use plain or custom");
}

// [db.NAME] gives its NAME; a DSN gives its database (or SQLite file) name.
std::string default_name(const ops::db::Target& target, const std::string& arg) {
  if (arg.find("://") == std::string::npos) return arg;
  if (target.dsn.engine == ops::db::Engine::sqlite) return std::filesystem::path(target.dsn.path).stem().string();
  return target.dsn.database;
}

ops::Status run(ops::cli::Context& ctx) {
  DatabaseBackupRequest request;
  const std::string& arg = ctx.args.front();
  request.target = ops::db::resolve_target(ctx.config, arg, ctx.warnings, ctx.text("password-file").value_or(""));
  request.name = ctx.text("name").value_or(default_name(request.target, arg));
  check_backup_name(request.name);
  request.root = backup_root(ctx);
  request.pg_format = pg_format(ctx);
  // pg_dump's custom format is compressed by pg_dump itself.
  request.compress = compress_options(ctx, request.pg_format == PgFormat::custom ? ops::Compression::none
                                                                                  : ops::Compression::gzip);
  request.globals = ctx.flag("globals");
  if (ctx.common.dry_run) {
    ctx.out << "would back up " << request.target.dsn.display() << " to " << (request.root / request.name).string()
            << "/\n";
    return ops::Status::ok;
  }
  BackupResult result;
  recording_last_run(request.root / request.name, ctx.warnings, [&] { result = backup_database(request); });
  report_backups(ctx, {result});
  const ops::Status status = result.manifest.warnings.empty() ? ops::Status::ok : ops::Status::warning;
  return ops::worst(status, ctx.warnings.status());  // password file, last-run record
}

}  // namespace

ops::cli::Subcommand db_command() {
  return {"db", "NAME|DSN", "back up a database (PostgreSQL, MySQL/MariaDB, SQLite)", add_options, run, 1, 1};
}

}  // namespace opsbackup
