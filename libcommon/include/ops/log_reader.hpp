#pragma once
// The records of a log, newest first, from FILE and on into its rotated
// predecessors, until a time bound: what a check of "the last 15 minutes"
// and an audit of "since yesterday" both need, without reading a large log
// whole.
//
// A record is a line with a timestamp (ops/log_time.hpp) and the lines
// without one that follow it, such as a Python traceback or a PHP stack
// trace: they belong to the line above. The current file is read backwards
// from its end in blocks, and reading stops at the first record older than
// the bound, so a 15-minute window of a 10 GB log reads a few blocks. A
// compressed file (gzip, zstd, xz, told by its first bytes, not its name)
// cannot be read backwards: it is decompressed as a stream and only the
// records inside the bound are kept.
//
// The rotated predecessors of /var/log/app.log are app.log.1, app.log.2.gz…
// (numbered, in number order) and then app.log-20261205[.gz]… (logrotate's
// dateext, newest date first); of a name given twice (app.log.1 and
// app.log.1.gz, as a compression interrupted leaves them) the plain one is read.
//
// read_log_forward reads the same files the other way: oldest file first,
// each from its start, line by line, for an analysis that must see a whole
// period in time order (an audit of logins: a success after failures, the
// lines one connection leaves). It copies nothing but the lines that
// straddle two blocks, so a 1 GB log is read at the speed of memchr.

#include <ops/clock.hpp>
#include <ops/log_time.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ops {

struct LogRecord {
  std::string file;               // the file it was read from
  std::optional<SysTime> time;    // nullopt: lines with no timestamped line above them in their file
  std::vector<std::string> lines; // the timestamped line first, then those that belong to it
};

struct LogReadOptions {
  std::optional<SysTime> since;  // records older than this are not handed over
  // How far out of order records may be: reading stops at the first record
  // older than since - disorder. An access log's line carries the time its
  // request started and is written when it ends, so a slow request's line
  // comes after those of quicker later ones; several processes writing one
  // log interleave the same way.
  std::chrono::seconds disorder{60};
  bool rotated = true;           // go on into the rotated predecessors
  // Lines without a timestamp held at most, before they are handed over as a
  // record of their own (time nullopt): a file with no timestamps at all is
  // then not read whole into memory, and the caller can stop.
  std::size_t max_untimed = 5000;
  std::size_t max_line = 1 << 20;  // bytes kept of one line (its start)
};

struct LogReadStats {
  std::vector<std::string> files;  // the files opened, in the order read (read_log: newest first)
  std::uint64_t bytes_read = 0;    // bytes read from the files (compressed bytes for a compressed file)
  bool reached_since = false;      // a record older than since - disorder was met
  // read_log_forward: what ended a file early, one line each ("auth.log.2.gz:
  // unexpected end of compressed data"); the lines before it were handed over
  // and reading went on with the next file.
  std::vector<std::string> errors;
};

// FILE's rotated predecessors that exist, newest first (FILE itself not included).
std::vector<std::filesystem::path> rotated_logs(const std::filesystem::path& file);

// Hands each record to `each`, newest first, until `each` returns false, a
// record is older than options.since - options.disorder, or the oldest file
// ends. Records older than since are skipped. FILE may be
// missing when a rotated predecessor exists (just rotated, not yet
// recreated). Neither there nor readable: ops::Error (unknown) "cannot open
// FILE: …". A compressed file cut short or corrupt: its records before the
// damage are handed over, then ops::Error (critical) naming it. `now` decides
// the year of a syslog timestamp.
LogReadStats read_log(const std::filesystem::path& file, SysTime now, const LogReadOptions& options,
                      const std::function<bool(const LogRecord&)>& each);

// One line as read_log_forward hands it over. The views are valid during the call only.
struct LogLine {
  std::string_view file;
  std::uint64_t number = 0;     // 1-based, in its file
  std::optional<SysTime> time;  // nullopt: no timestamp (a traceback line, garbage)
  std::string_view text;        // without the newline (and a CR before it)
  bool cut = false;             // longer than options.max_line: text is its start
};

// Hands each line of FILE's rotated predecessors (oldest first) and then of
// FILE to `each`, until `each` returns false. Lines with a time before
// options.since are not handed over, nor the untimed lines after them; a
// rotated file last modified before since - disorder is not opened (logrotate
// and gzip keep a log's mtime, so its lines are all older). A compressed file
// cut short or corrupt: its lines up to there are handed over, the error is
// in stats.errors and reading goes on. FILE and its predecessors all missing,
// or one that cannot be opened: ops::Error "cannot open FILE: …".
// options.max_untimed is not used (nothing is held back).
LogReadStats read_log_forward(const std::filesystem::path& file, SysTime now, const LogReadOptions& options,
                              const std::function<bool(const LogLine&)>& each);

}  // namespace ops
