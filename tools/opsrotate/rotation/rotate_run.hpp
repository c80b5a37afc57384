#pragma once
// One run over a parsed configuration, in logrotate's order for each block:
// decide which logs are due; firstaction; then per log (or, with
// sharedscripts, once around all of them) prerotate, the rotation,
// postrotate; then compression and removal of the oldest; lastaction. The
// state file is locked for the run and rewritten (atomically) after each log
// that really rotated — a log whose rotation failed keeps its old time, so
// the next run tries again.

#include "opsrotate/config/log_config.hpp"
#include "opsrotate/rotation/log_files.hpp"
#include "opsrotate/rotation/operations.hpp"
#include "opsrotate/rotation/plan.hpp"
#include "opsrotate/rotation/schedule.hpp"

#include <ops/status.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace opsrotate {

struct RunOptions {
  bool force = false;
  bool dry_run = false;
  bool wait_for_lock = false;
  std::filesystem::path state_path = "/var/lib/logrotate/status";
  ExecOptions exec;
};

struct LogOutcome {
  enum class Result { skipped, planned, rotated, failed };
  std::filesystem::path log;
  const LogConfig* config = nullptr;
  Decision decision;
  std::vector<Op> ops;  // in the order done (or, in a dry run, to be done)
  Result result = Result::skipped;
  std::string error;    // when failed, or a problem after the rotation (postrotate, compress)
  std::uint64_t bytes_in = 0, bytes_out = 0;  // compression
  std::uint64_t tail_kept = 0;  // copytruncate: bytes left in the log for the next rotation
};

struct RunReport {
  std::vector<LogOutcome> logs;
  ops::Status status = ops::Status::ok;
};

// The blocks' logs as expand_logs found them (the blocks it skipped left out).
RunReport rotate_logs(const std::vector<LogSet>& sets, const RunOptions& options);

}  // namespace opsrotate
