#pragma once
// Putting a files backup back into a directory, with libarchive's secure
// extraction (no absolute names, no "..", nothing written through a symlink)
// and our own check of every name and link before it is extracted. The
// directory must be empty or new, unless forced: a restore must not mix into
// a live tree by mistake.

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

// An entry that is unsafe stops the restore (exit 2, naming it); what was
// extracted before it stays.
FilesRestoreResult restore_files(const FilesRestoreRequest& request);

// The refusals of restore_files before it writes anything (a database
// backup, a target that is not a directory or not empty), alone and without
// creating the directory: a dry run reports what the real run would refuse.
void check_files_target(const FilesRestoreRequest& request);

}  // namespace opsbackup
