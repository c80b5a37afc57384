#pragma once
// A backup's data files are published before its manifest; if anything fails
// in between, this removes them again so no backup appears to exist half-way.

#include "opsbackup/store/manifest.hpp"

#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace opsbackup {

class PublishedFiles {
 public:
  PublishedFiles() = default;
  PublishedFiles(const PublishedFiles&) = delete;
  PublishedFiles& operator=(const PublishedFiles&) = delete;
  ~PublishedFiles() {
    if (done_) return;
    for (const auto& p : files_) ::unlink(p.c_str());
  }
  void add(const std::filesystem::path& p) { files_.push_back(p); }
  // The manifest is written: the files are the backup now.
  void done() { done_ = true; }

 private:
  std::vector<std::filesystem::path> files_;
  bool done_ = false;
};

// A backup as it stands once published: its manifest and where things are.
struct BackupResult {
  Manifest manifest;
  std::filesystem::path manifest_path;
  std::filesystem::path data_path;
};

// The last step of every backup: the manifest (naming data_path, with the
// finishing time) is written, and from then on the published files stay.
BackupResult finish_backup(const std::filesystem::path& dir, const std::string& stem,
                           const std::filesystem::path& data_path, Manifest m, PublishedFiles& published);

}  // namespace opsbackup
