#pragma once
// Putting a files backup back into a directory exactly as it was, symlinks
// included (a symlink is data: its target is restored as written, absolute
// or leading out of DIR). Nothing is written through a link: every entry is
// checked against the tree built so far, one component at a time and never
// following a symlink (entry_paths.hpp), before libarchive's secure
// extraction writes it. The tree is built in a temporary directory and moved
// into DIR only when complete (restore_staging.hpp): a restore that fails
// leaves DIR as it was. DIR must be empty or new, unless forced: a restore
// must not mix into a live tree by mistake.

#include "opsbackup/store/manifest.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace opsbackup {

struct FilesRestoreRequest {
  std::filesystem::path manifest_file;
  Manifest manifest;
  std::filesystem::path to_dir;
  bool force = false;  // restore into a directory that is not empty
};

struct FilesRestoreResult {
  std::uint64_t entries = 0;
  std::vector<std::string> warnings;  // what could not be set exactly (owner, ACL …)
};

// An entry that is unsafe, a damaged archive or a failed write stops the
// restore (exit 2, naming it) with nothing of it in DIR.
FilesRestoreResult restore_files(const FilesRestoreRequest& request);

// The refusals of restore_files before it writes anything (a database
// backup, a target that is not a directory or not empty), alone and without
// creating the directory.
void check_files_target(const FilesRestoreRequest& request);

// What a dry run checks: check_files_target, then every entry of the archive
// by the rule the real run applies (entry_paths.hpp), judged against the
// entries before it; nothing is written.
void check_files_restore(const FilesRestoreRequest& request);

}  // namespace opsbackup
