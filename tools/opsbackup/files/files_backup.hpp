#pragma once
// One files backup, start to finish: the source trees as a pax archive
// streamed through compression into a temporary file, published, and only
// then its manifest. Trouble with single files is a warning in the manifest
// (exit 1); any other failure throws (exit 2) and leaves nothing behind.

#include "opsbackup/db/db_backup.hpp"
#include "opsbackup/files/files_archive.hpp"

#include <ops/compress.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace opsbackup {

struct FilesBackupRequest {
  std::string name;                           // the backup NAME
  std::vector<std::filesystem::path> sources; // as given
  FilesArchiveOptions archive;
  std::filesystem::path root;                 // --dir
  ops::CompressOptions compress;
};

// The sources checked and named: each must exist, no two may share a name in
// the archive, and none may hold the backup directory `root` (--dir; the
// archive would hold itself and its own temporary, each run about doubling),
// compared as real paths, so a --dir reached through a symlink into a source
// is caught too. Bad sources are an exit-3 error, before anything is written.
std::vector<FilesSource> plan_sources(const std::vector<std::filesystem::path>& sources,
                                      const std::filesystem::path& root);

BackupResult backup_files(const FilesBackupRequest& request);

}  // namespace opsbackup
