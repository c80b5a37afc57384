#pragma once
// Where backups live in a store and what they are called:
//   DIR/NAME/NAME-20261125T021500Z.sql.gz              the data
//   DIR/NAME/NAME-20261125T021500Z.manifest.json       written last: the backup exists
//   DIR/NAME/.last-run.json                            how the latest attempt ended
// A data file without its manifest is the leftover of a run that crashed
// between the two renames; temporary files (ops/dir.hpp) are leftovers of
// runs that crashed earlier. Names sort by time; the time is the start of the
// run, UTC. opsbackup writes stores; every tool that reads one lists it here.

#include <ops/clock.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ops::backup {

// The last-run record's file name in DIR/NAME (ops/backup_last_run.hpp).
inline constexpr std::string_view kLastRunFile = ".last-run.json";

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
// Reads DIR/NAME; a missing directory is an empty listing, one that cannot be
// read an ops::Error (critical). Files that belong to another NAME (e.g.
// "app-old-…" next to "app-…") are not mixed in.
Listing list_backup_dir(const std::filesystem::path& backup_dir, const std::string& name);

// The NAMEs with a directory under root, sorted (none when root is missing).
std::vector<std::string> backup_names(const std::filesystem::path& root);

}  // namespace ops::backup
