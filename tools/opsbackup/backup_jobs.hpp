#pragma once
// The [backup.NAME] sections of ops.conf: what `opsbackup run` backs up. Each
// names a database (a [db.NAME] or a DSN) or source directories, and may
// override the [backup] defaults (compression, retention). All sections are
// read and checked before anything runs: a typo in the third job must not
// surface after the first two have run.
//
// backup_job_schema() declares every key once (ops/sections.hpp). The keys
// that are also options of opsbackup's subcommands (--compress, --level,
// --pg-format, --globals, --password-file, --source, --exclude,
// --one-file-system, --keep-*) are declared to the command line from it.

#include "opsbackup/store/retention.hpp"

#include <ops/compress.hpp>
#include <ops/config.hpp>
#include <ops/sections.hpp>

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
  std::optional<ops::Compression> compress;
  std::optional<int> level;
  std::string pg_format = "plain";
  bool globals = false;
  std::optional<KeepPolicy> keep;  // set when the section has any keep_* key
};

// The keys of [backup.NAME].
const ops::SectionSchema& backup_job_schema();

// "keep_last", …, "keep_yearly".
std::vector<std::string> keep_keys();
// The keep_* rules of a section or of the command line; nullopt when none is
// given. With `command_line_only`, rules that came from the environment or
// ops.conf are left out.
std::optional<KeepPolicy> keep_rules(const ops::SectionValues& values, bool command_line_only = false);

// Reads every [backup.NAME] as read_backup_jobs does (exit 3 naming file and
// line), none being no error: every subcommand checks them when the file is read.
void check_backup_sections(const ops::Config& config);

// Exit 3, naming file and line, for an unknown key, a bad value, a section
// with both or neither of database and source, or no [backup.NAME] at all.
std::vector<BackupJob> read_backup_jobs(const ops::Config& config);

}  // namespace opsbackup
