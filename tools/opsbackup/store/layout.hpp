#pragma once
// Where backups live and what they are called:
//   DIR/NAME/NAME-20261125T021500Z.sql.gz              the data
//   DIR/NAME/NAME-20261125T021500Z.manifest.json       written last: the backup exists
// A data file without its manifest is the leftover of a run that crashed
// between the two renames; temporary files (ops/dir.hpp) are leftovers of
// runs that crashed earlier. Names sort by time; the time is the start of the run, UTC.

#include <ops/clock.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace opsbackup {

// `given` made absolute against the current directory. Paths the user gives
// (--dir, --to-dir, a BACKUP file) are made absolute once, where they are
// read, so that no later use depends on the current directory (a SQLite DSN
// must be absolute; restore changes directory).
std::filesystem::path absolute_path(const std::string& given);

// A backup name (NAME): letters, digits, '.', '_' and '-', not starting with
// '.' or '-'. Anything else is an exit-3 error naming the value.
void check_backup_name(const std::string& name);

// "NAME-20261125T021500Z".
std::string backup_stem(const std::string& name, ops::SysTime started);
// "20261125T021500Z" <-> time; nullopt when the text is not such a stamp.
std::string compact_time(ops::SysTime t);
std::optional<ops::SysTime> parse_compact_time(const std::string& text);

std::filesystem::path manifest_path(const std::filesystem::path& backup_dir, const std::string& stem);

// What is in DIR/NAME.
struct BackupFiles {
  std::string stem;                  // NAME-20261125T021500Z
  ops::SysTime started;              // from the stem
  std::filesystem::path manifest;    // empty when there is none (incomplete)
  std::vector<std::filesystem::path> data;  // the other files of the stem (data, globals)
};
struct Listing {
  std::vector<BackupFiles> backups;             // oldest first, with or without manifest
  std::vector<std::filesystem::path> leftovers;  // temporaries of crashed runs (ops::temp_name_target)
};
// Reads DIR/NAME; a missing directory is an empty listing. Files that belong to
// another NAME (e.g. "app-old-…" next to "app-…") are not mixed in.
Listing list_backup_dir(const std::filesystem::path& backup_dir, const std::string& name);

// The NAMEs with a directory under root, sorted (none when root is missing).
std::vector<std::string> backup_names(const std::filesystem::path& root);
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
