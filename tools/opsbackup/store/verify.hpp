#pragma once
// Checking that a backup can be trusted without restoring it: the file is the
// one the manifest describes (size, SHA-256), it decompresses completely, and
// its content is whole — the dumper's completion line for plain SQL dumps,
// `pg_restore --list` for custom dumps, an integrity check and the row counts
// for SQLite copies.

#include "opsbackup/store/manifest.hpp"

#include <filesystem>
#include <string>

namespace opsbackup {

struct VerifyOutcome {
  bool ok = false;
  std::string detail;  // the first problem found, or a short summary
};

// The first step of verify_backup, alone: the data file (and the globals
// file) have the size and SHA-256 the manifest records. Restore runs it before
// touching its target, so a file changed or cut short after the backup is
// never restored by mistake. Never throws for a bad backup.
VerifyOutcome check_against_manifest(const std::filesystem::path& manifest_file, const Manifest& m);

// Never throws for a bad backup (that is the outcome); throws only for our
// own trouble (e.g. no temporary space). `manifest_file` locates the data.
VerifyOutcome verify_backup(const std::filesystem::path& manifest_file, const Manifest& m);

}  // namespace opsbackup
