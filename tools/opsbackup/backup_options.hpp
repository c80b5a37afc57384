#pragma once
// Options every backing-up subcommand shares (db, files, run), read from the
// command line, OPS_BACKUP_* or [backup] of ops.conf, and how a finished
// backup is reported.

#include "opsbackup/db/db_backup.hpp"
#include "opsbackup/store/retention.hpp"

#include <ops/cli.hpp>
#include <ops/compress.hpp>

#include <filesystem>

namespace opsbackup {

void add_destination_options(ops::cli::po::options_description& d);
// --dir (required, from anywhere).
std::filesystem::path backup_root(const ops::cli::Context& ctx);
// --compress/--level/--threads; `fallback` when --compress is not given.
ops::CompressOptions compress_options(const ops::cli::Context& ctx, ops::Compression fallback = ops::Compression::gzip);

// --keep-last … --keep-yearly (also keep_daily etc. in [backup]).
void add_keep_options(ops::cli::po::options_description& d);
KeepPolicy keep_policy(const ops::cli::Context& ctx);

// One line per backup in text; the manifest's fields in TSV/JSON; metrics.
void report_backups(ops::cli::Context& ctx, const std::vector<BackupResult>& results);

}  // namespace opsbackup
