#pragma once
// The outcome of the latest backup attempt of a NAME, kept in
// DIR/NAME/.last-run.json (ops/backup_layout.hpp). A failed run leaves no
// backup behind, so without this record a reader of the store could not know
// that the newest run failed and that the old backups are all there is.
// opsbackup writes it (atomically, 0600); the format and its reading are here.

#include <ops/clock.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace ops::backup {

struct LastRun {
  ops::SysTime started{};
  bool ok = false;
  std::string error;  // the one-line reason when not ok
};

// The record's file content.
std::string last_run_text(const LastRun& run);

// What reading the record found: the run, or nothing when there is no record;
// a record that cannot be read or parsed is no run and a one-line problem
// naming the file ("DIR/NAME/.last-run.json: not valid JSON: …").
struct LastRunRead {
  std::optional<LastRun> run;
  std::string problem;  // empty unless the record is there and unreadable
};
// Never throws for a bad record: the caller decides what it means.
LastRunRead read_last_run(const std::filesystem::path& backup_dir);

}  // namespace ops::backup
