#pragma once
// `opsarchive files` as a plain job, so that `opsarchive files` and
// `opsarchive run` ([archive.NAME] sections of ops.conf) do the same thing:
// compress old files in place or collect them into one tar, and expire older
// ones, inside the given directories and never outside them.

#include <ops/compress.hpp>
#include <ops/status.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace opsarchive {

struct FilesJob {
  std::vector<std::filesystem::path> dirs;
  std::optional<std::chrono::seconds> older_than;         // compress / collect files older than this
  std::vector<std::string> match;                         // fnmatch globs on the file name; empty = all
  std::optional<ops::Compression> compress;               // compress each file in place
  int level = -1;                                         // -1: the format's default
  std::optional<std::filesystem::path> into_tar;          // or collect them into this archive (strftime %-escapes)
  std::optional<std::chrono::seconds> delete_older_than;  // remove files (plain, compressed, archives) older than this
  bool allow_shared_dirs = false;  // work in directories others can write to
  bool dry_run = false;
};

// One record of the output: "compressed", "deleted", "archived", "created",
// "removed-original" (a crashed run's job finished), "removed-temp", or the
// same with "would-" in a dry run.
struct FileAction {
  std::string action;
  std::filesystem::path path;
  std::optional<std::uint64_t> bytes_before;
  std::optional<std::uint64_t> bytes_after;
};

struct FilesOutcome {
  std::vector<FileAction> actions;
  std::uint64_t files_compressed = 0;
  std::uint64_t files_archived = 0;
  std::uint64_t files_deleted = 0;
  std::uint64_t temp_files_removed = 0;
  std::int64_t bytes_freed = 0;  // in the DIRs; 0 in a dry run
  // ok; warning when something was skipped with a warning; critical when an
  // operation failed (the others still ran). Messages went to stderr.
  ops::Status status = ops::Status::ok;
};

// Throws ops::Error (unknown, exit 3) for a job that cannot run: a missing
// DIR, no action, a bad combination or level, an --into-tar PATH that
// exists. Changes nothing.
void check_files_job(const FilesJob& job);

// Checks the job (as check_files_job), then does it. The cut-offs are fixed
// once, from ops::now() (OPS_NOW in tests).
FilesOutcome archive_files(const FilesJob& job);

}  // namespace opsarchive
