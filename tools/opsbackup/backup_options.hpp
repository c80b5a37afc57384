#pragma once
// Options every backing-up subcommand shares (db, files, run), read from the
// command line, OPS_BACKUP_* or [backup] of ops.conf, and how a finished
// backup is reported.

#include "opsbackup/db/db_backup.hpp"
#include "opsbackup/store/retention.hpp"

#include <ops/cli.hpp>
#include <ops/compress.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace opsbackup {

void add_destination_options(ops::cli::po::options_description& d);
// --dir (required, from anywhere), made absolute.
std::filesystem::path backup_root(const ops::cli::Context& ctx);

// A path option (--dir, --to-dir…) from the command line, OPS_BACKUP_* or
// ops.conf, made absolute against the current directory once, here, where it
// is read: every later use (a SQLite DSN built from it, a message, a
// directory changed into) sees the same path. nullopt when not given.
std::optional<std::filesystem::path> path_option(const ops::cli::Context& ctx, const std::string& option);
// --compress/--level/--threads; `fallback` when --compress is not given.
ops::CompressOptions compress_options(const ops::cli::Context& ctx, ops::Compression fallback = ops::Compression::gzip);

// --keep-last … --keep-yearly (also keep_daily etc. in [backup]).
void add_keep_options(ops::cli::po::options_description& d);
KeepPolicy keep_policy(const ops::cli::Context& ctx);

// One line per backup in text; the manifest's fields in TSV/JSON; metrics.
void report_backups(ops::cli::Context& ctx, const std::vector<BackupResult>& results);

}  // namespace opsbackup
