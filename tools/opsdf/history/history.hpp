#pragma once
// The growth history of `opsdf record`: a TSV file that only ever grows by
// whole lines, one line per series per snapshot, read back by `opsdf forecast`.
//
//   time<TAB>kind<TAB>series<TAB>used<TAB>avail
//   2026-01-31T03:00:00Z<TAB>fs<TAB>/<TAB>53687091200<TAB>10737418240
//
// time is UTC; kind is fs, dir or db; series is the mount point, directory or
// database name (tab, newline and backslash escaped as \t \n \\); used and
// avail are bytes, avail empty when unknown. The first line is the header;
// blank lines and lines starting with '#' are ignored.

#include <ops/clock.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsdf {

inline constexpr const char* kDefaultHistoryPath = "/var/lib/ops/df-history.tsv";
inline constexpr std::string_view kHistoryHeader = "time\tkind\tseries\tused\tavail";

enum class SeriesKind { fs, dir, db };
std::string_view kind_name(SeriesKind kind) noexcept;  // "fs", "dir", "db"
std::optional<SeriesKind> parse_kind(std::string_view text) noexcept;

// One measurement of one series. avail is the room left to grow into: for a
// filesystem what unprivileged users may still write, for a directory the free
// space of its filesystem, for a database unknown unless a driver can tell.
struct Sample {
  ops::SysTime time;
  SeriesKind kind = SeriesKind::fs;
  std::string series;
  std::uint64_t used = 0;
  std::optional<std::uint64_t> avail;

  bool operator==(const Sample&) const = default;
};

// The line for a sample, with its '\n'.
std::string format_sample(const Sample& sample);

// The line for a sample, checked by the reader's own rule (parse_history)
// before it may be written: a line `forecast` would skip (a time outside the
// years 0000-9999, an empty series name) or read back as another value is
// never appended. nullopt, with the reason in `problem`, when it fails.
std::optional<std::string> recordable_line(const Sample& sample, std::string& problem);
// The warning for a sample recordable_line refused: names the series and why.
std::string unrecordable(const Sample& sample, const std::string& problem);

struct AppendResult {
  bool created = false;               // the file did not exist (or was empty)
  std::size_t recorded = 0;           // the samples written
  std::vector<std::string> warnings;  // for the CLI to print
};

// Appends one snapshot to the history, creating it (and missing parent
// directories, 0755) when needed. A sample recordable_line refuses is left
// out, with a warning; when none is left, nothing is written. Crash-safe:
// under an flock on the file, an incomplete last line left by a killed run is
// cut off (with a warning), then all lines go out in one write() on an
// O_APPEND fd, then fsync. A file that is not an opsdf history is refused
// (exit 3) and left untouched.
AppendResult append_samples(const std::filesystem::path& path, const std::vector<Sample>& samples);

struct History {
  std::vector<Sample> samples;        // in file order
  std::vector<std::string> warnings;  // for the CLI to print
};

// Parses history text; `name` is the file name used in messages. A last line
// without '\n' is an interrupted write: skipped with a warning. Any other bad
// line is skipped too, with a warning naming name:line and the bad value, so
// one damaged line never costs the forecast of all the others. A first line
// that is not the header is an exit-3 error: the file is not a history.
History parse_history(std::string_view text, const std::string& name);

// Reads the history file. A missing file is an exit-3 error with a hint to
// run `opsdf record`; an unreadable one is an exit-3 error too.
History read_history(const std::filesystem::path& path);

}  // namespace opsdf
