#pragma once
// What a store says about one NAME, for a tool that judges it (opshealth's
// `backup NAME`, opsbackup's last-success metric): the newest complete backup
// with its verification verdict, and how the latest attempt ended. Read
// through the same code opsbackup reads its store with
// (ops/backup_layout.hpp, ops/backup_manifest.hpp, ops/backup_last_run.hpp),
// so a backup counts as complete, or a manifest as bad, by one rule.

#include <ops/backup_last_run.hpp>
#include <ops/backup_manifest.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ops::backup {

// A backup whose manifest was read: what it is (time, size, file) and, when
// it has been verified, when, how and with what verdict (manifest.verified).
struct CompleteBackup {
  std::filesystem::path manifest_path;
  Manifest manifest;
  // The data file, beside the manifest.
  std::filesystem::path data_path() const { return manifest_path.parent_path() / manifest.file; }
};

// A manifest that is there but cannot be read or parsed: the backup it
// stands for cannot be trusted, and a check names the file and why.
struct UnreadableManifest {
  std::filesystem::path path;
  std::string error;  // one line, naming the file
};

// The newest complete backup of NAME in backup_dir (DIR/NAME), newest first
// by the time in its name: manifests that cannot be read are passed over and
// reported, newest first, until one can be; older ones are not read. No
// backup is no value, also for a missing directory.
struct NewestBackup {
  std::optional<CompleteBackup> backup;
  std::vector<UnreadableManifest> unreadable;
};
// Throws only when the directory itself cannot be read (ops::Error, critical).
NewestBackup newest_complete_backup(const std::filesystem::path& backup_dir, const std::string& name);

// Everything a health check of NAME under root (DIR) needs, in one read.
struct BackupState {
  std::filesystem::path dir;                   // DIR/NAME
  std::optional<CompleteBackup> newest;        // see newest_complete_backup
  std::vector<UnreadableManifest> unreadable;  // newer than `newest`, newest first
  std::optional<LastRun> last_run;             // none: no record (or an unreadable one)
  std::string last_run_problem;                // the unreadable record, named; else empty
};
// A bad NAME is an exit-3 ops::Error (check_backup_name); an unreadable
// DIR/NAME a critical one. Bad manifests and a bad record are reported, not thrown.
BackupState backup_state(const std::filesystem::path& root, const std::string& name);

}  // namespace ops::backup
