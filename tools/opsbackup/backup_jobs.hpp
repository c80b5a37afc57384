#pragma once
// The [backup.NAME] sections of ops.conf: what `opsbackup run` backs up. Each
// names a database (a [db.NAME] or a DSN) or source directories, and may
// override the [backup] defaults (compression, retention). All sections are
// read and checked before anything runs: a typo in the third job must not
// surface after the first two have run.

#include "retention.hpp"

#include <ops/config.hpp>

#include <optional>
#include <string>
#include <vector>

namespace opsbackup {

struct BackupJob {
  std::string name;
  std::string where;  // "/etc/ops/ops.conf:12", for messages
  std::string database;  // NAME|DSN; empty for a files job
  std::string password_file;
  std::vector<std::string> sources;
  std::vector<std::string> excludes;
  bool one_file_system = false;
  std::optional<std::string> compress;
  std::optional<int> level;
  std::string pg_format = "plain";
  bool globals = false;
  std::optional<KeepPolicy> keep;  // set when the section has any keep_* key
};

// Exit 3, naming file and line, for an unknown key, a bad value, a section
// with both or neither of database and source, or no [backup.NAME] at all.
std::vector<BackupJob> read_backup_jobs(const ops::Config& config);

}  // namespace opsbackup
