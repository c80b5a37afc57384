#pragma once
// One database backup, start to finish: dump (pg_dump, mariadb-dump, or
// SQLite's backup API) streamed through compression into a temporary file,
// checked for the dumper's success and completion line, published, and only
// then its manifest. Any failure throws (exit 2) and leaves nothing behind:
// no manifest, no partial file, older backups untouched.

#include "opsbackup/db/dumpers.hpp"
#include "opsbackup/store/manifest.hpp"
#include "opsbackup/store/published_files.hpp"

#include <ops/compress.hpp>
#include <ops/db_target.hpp>

#include <filesystem>
#include <string>

namespace opsbackup {

struct DatabaseBackupRequest {
  std::string name;              // the backup NAME (directory and file prefix)
  ops::db::Target target;
  std::filesystem::path root;    // --dir
  ops::CompressOptions compress;
  PgFormat pg_format = PgFormat::plain;
  bool globals = false;          // also roles and grants
};

BackupResult backup_database(const DatabaseBackupRequest& request);

}  // namespace opsbackup
