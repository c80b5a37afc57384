#pragma once
// Putting a database backup back: the SQL replayed through psql or
// mariadb (all or nothing where the server allows), a custom dump through
// pg_restore, a SQLite copy written atomically in place. A target that
// already holds tables is refused unless forced: a restore must never mix
// into (or silently replace) a live database by mistake.

#include "opsbackup/store/manifest.hpp"

#include <ops/db_target.hpp>

#include <filesystem>

namespace opsbackup {

struct RestoreRequest {
  std::filesystem::path manifest_file;
  Manifest manifest;
  ops::db::Target target;
  bool force = false;  // restore into a database that has tables
};

void restore_database(const RestoreRequest& request);

// The refusals of restore_database before it writes anything (a files
// backup, another engine, a target with tables, an existing SQLite file),
// alone: a dry run says what the real run would refuse, with its status.
void check_database_target(const RestoreRequest& request);

// BACKUP as given on a command line: a manifest, a data file next to one, or
// DIR/NAME (its newest complete backup). Exit 3 when it is none of these.
std::filesystem::path find_manifest(const std::string& backup, const std::filesystem::path& root);

}  // namespace opsbackup
