#pragma once
// Reading the logs of `opsaudit logs`: each FILE and its rotated and
// compressed predecessors, newest first, back to --since, every event that
// matches a pattern put in the tally. Hostile input never stops the scan:
// binary lines, lines of 64 KiB or more, lines with no timestamp and a
// compressed file that is cut short or corrupt are counted and told in a
// note naming the file.

#include "opsaudit/logs/error_tally.hpp"

#include <ops/clock.hpp>
#include <ops/pattern.hpp>

#include <string>
#include <utility>
#include <vector>

namespace opsaudit {

struct ScanOptions {
  ops::SysTime now;
  ops::SysTime since;
  std::size_t max_line = 64 * 1024;  // bytes of a line matched and masked
  std::size_t max_untimed = 5000;    // untimestamped lines read before a file is given up
};

struct ScanResult {
  std::vector<std::string> files;        // the files read, FILE by FILE, newest first
  // The FILEs of which no file could be opened, each with why.
  std::vector<std::pair<std::string, std::string>> unreadable;
  std::vector<std::string> notes;        // one line each, naming the file
  std::uint64_t records = 0;             // timestamped records of the period
};

// Reads `logs` into `tally`, matching `patterns` (in the tally's order).
ScanResult scan_logs(const std::vector<std::string>& logs, const std::vector<ops::Pattern>& patterns,
                     const ScanOptions& options, ErrorTally& tally);

}  // namespace opsaudit
