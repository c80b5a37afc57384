#pragma once
// The outcome of the latest backup attempt of a NAME, kept in
// DIR/NAME/.last-run.json. A failed run leaves no backup behind, so without
// this record prune could not know that the newest run failed and that the
// old backups are all there is. The format and its reading are libcommon's
// (ops/backup_last_run.hpp), shared with opshealth; recording it is opsbackup's.

#include <ops/backup_last_run.hpp>
#include <ops/backup_layout.hpp>
#include <ops/log.hpp>

#include <filesystem>
#include <functional>
#include <optional>

namespace opsbackup {

using ops::backup::kLastRunFile;
using ops::backup::LastRun;

// Written atomically (0600). Errors writing it are reported as warnings: the
// run's own outcome matters more.
void record_last_run(const std::filesystem::path& backup_dir, const LastRun& run, ops::Warnings& warnings);
// Runs one backup attempt and records how it ended in DIR (when DIR exists:
// a run that could not even create it has nowhere to write). Errors are rethrown.
void recording_last_run(const std::filesystem::path& backup_dir, ops::Warnings& warnings,
                        const std::function<void()>& attempt);
// nullopt when there is no record, or it cannot be read (then a warning
// "ignoring FILE: why").
std::optional<LastRun> read_last_run(const std::filesystem::path& backup_dir, ops::Warnings& warnings);

}  // namespace opsbackup
