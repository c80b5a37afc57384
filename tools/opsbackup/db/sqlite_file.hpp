#pragma once
// The DSN of a SQLite file of opsbackup's own (the scratch copy a backup or
// a verification makes beside the backups, a restore-test file), built from
// its path field by field. Pasting the path into "sqlite://PATH" text and
// parsing that broke on a relative --dir (issue 14, item 4) and would break
// on a path holding a space, '?', '#' or '%'.

#include <ops/db.hpp>

#include <filesystem>
#include <string>

namespace opsbackup {

// `file` must be absolute (a Dsn's path always is); mode is ro, rw or rwc.
ops::db::Dsn sqlite_file_dsn(const std::filesystem::path& file, const std::string& mode);

}  // namespace opsbackup
