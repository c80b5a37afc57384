#pragma once
// Where backups live and what they are called: the store's layout and its
// listing are libcommon's (ops/backup_layout.hpp), shared with opshealth.
// Here: what opsbackup's commands add — paths made absolute, a mistyped DIR
// or NAME refused, and DIR/NAME created private.

#include <ops/backup_layout.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace opsbackup {

using ops::backup::backup_names;
using ops::backup::backup_stem;
using ops::backup::BackupFiles;
using ops::backup::check_backup_name;
using ops::backup::list_backup_dir;
using ops::backup::Listing;
using ops::backup::manifest_path;

// `given` made absolute against the current directory. Paths the user gives
// (--dir, --to-dir, a BACKUP file) are made absolute once, where they are
// read, so that no later use depends on the current directory (a SQLite DSN
// must be absolute; restore changes directory).
std::filesystem::path absolute_path(const std::string& given);

// The names given, each checked with check_backup_name.
const std::vector<std::string>& checked_names(const std::vector<std::string>& names);

// For the commands that read the store (list, verify, prune): a DIR or a
// DIR/NAME that is not there is a mistyped --dir or NAME, not an empty store,
// so it is an exit-3 error naming it. An existing empty directory is fine.
void check_backup_root(const std::filesystem::path& root);
std::filesystem::path existing_backup_dir(const std::filesystem::path& root, const std::string& name);

// DIR/NAME, created 0700 (DIR too, when missing). An existing directory
// keeps its mode, but one that others, or a group other than root, may write
// to is refused (exit 3; ops::exposure).
std::filesystem::path prepare_backup_dir(const std::filesystem::path& root, const std::string& name);

}  // namespace opsbackup
