#include "opsaudit/logs/log_scan.hpp"

#include "opsaudit/logs/log_events.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/log_reader.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <system_error>

namespace opsaudit {
namespace {

namespace fs = std::filesystem;

// What one file held that was passed over.
struct FileNotes {
  std::uint64_t binary = 0;   // lines of binary data
  std::uint64_t long_lines = 0;
  std::uint64_t untimed = 0;  // lines with no timestamped line above them
  std::uint64_t untimed_binary = 0;  // of them, binary
  bool timed = false;         // a timestamped record was met
  bool given_up = false;      // no timestamp in its last max_untimed lines
};

// Whether `path` is compressed (its first bytes say so): the reader keeps
// such a file's events until its end, so an error loses them all.
bool compressed(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  return ops::detect_compression(std::string_view(head, static_cast<std::size_t>(in.gcount()))).has_value();
}

std::string lines_word(std::uint64_t n) { return n == 1 ? "line" : "lines"; }

void note_file(const std::string& file, const FileNotes& f, const ScanOptions& options,
               std::vector<std::string>& notes) {
  const std::string name = ops::shown(file);
  const std::string binary =
      f.untimed_binary ? fmt::format(" ({} of them binary data)", f.untimed_binary) : std::string();
  if (f.given_up)
    notes.push_back(fmt::format("{}: no timestamp ops reads in its last {} lines{}: not audited", name,
                                options.max_untimed, binary));
  else if (f.untimed && !f.timed)
    notes.push_back(fmt::format("{}: no timestamp ops reads in its {} {}{}: not audited", name, f.untimed,
                                lines_word(f.untimed), binary));
  else if (f.untimed)
    notes.push_back(fmt::format("{}: {} {} before its first timestamp{} not counted (no time to place them in)", name,
                                f.untimed, lines_word(f.untimed), binary));
  if (f.binary)
    notes.push_back(fmt::format("{}: {} {} of binary data passed over", name, f.binary, lines_word(f.binary)));
  if (f.long_lines)
    notes.push_back(fmt::format("{}: {} {} of {} or more: only the first {} of each read", name, f.long_lines,
                                lines_word(f.long_lines), ops::format_size(options.max_line),
                                ops::format_size(options.max_line)));
}

class Scanner {
 public:
  Scanner(const std::vector<ops::Pattern>& patterns, const ScanOptions& options, ErrorTally& tally)
      : patterns_(patterns),
        options_(options),
        tally_(tally),
        joiner_([this](const ops::LogRecord& e) { event(e); }) {}

  // One file; whether reading reached --since (the older files are then not read).
  bool file(const fs::path& path, ScanResult& result) {
    notes_ = FileNotes{};
    ops::LogReadOptions read;
    read.since = options_.since;
    read.rotated = false;
    read.max_untimed = options_.max_untimed;
    read.max_line = options_.max_line;
    const auto stats =
        ops::read_log(path, options_.now, read, [&](const ops::LogRecord& r) { return record(r, result); });
    joiner_.finish();
    return stats.reached_since;
  }
  const FileNotes& notes() const noexcept { return notes_; }
  void flush_frames() { joiner_.finish(); }

 private:
  bool record(const ops::LogRecord& r, ScanResult& result) {
    if (!r.time) {
      if (!notes_.timed && r.lines.size() >= options_.max_untimed) {
        notes_.given_up = true;
        return false;
      }
      notes_.untimed += r.lines.size();
      for (const std::string& line : r.lines) notes_.untimed_binary += binary_line(line);
      return true;
    }
    notes_.timed = true;
    ++result.records;
    joiner_.add(r);
    return true;
  }

  // Most events match nothing: they are matched in place, and copied only
  // when they do.
  void event(const ops::LogRecord& e) {
    views_.clear();
    for (const std::string& line : e.lines) {
      if (binary_line(line)) {
        ++notes_.binary;
        continue;
      }
      std::string_view text = line;
      if (text.size() >= options_.max_line) {
        ++notes_.long_lines;
        text = text.substr(0, options_.max_line);
      }
      views_.push_back(text);
    }
    if (views_.empty()) return;
    matched_.clear();
    for (std::size_t p = 0; p < patterns_.size(); ++p)
      for (std::string_view line : views_)
        if (patterns_[p].matches(line)) {
          matched_.push_back(p);
          break;
        }
    if (matched_.empty()) return;
    const std::vector<std::string> lines(views_.begin(), views_.end());
    tally_.add(*e.time, matched_, event_key(lines), lines.front(), e.file, critical_level(lines.front()));
  }

  const std::vector<ops::Pattern>& patterns_;
  const ScanOptions& options_;
  ErrorTally& tally_;
  EventJoiner joiner_;
  FileNotes notes_;
  std::vector<std::string_view> views_;  // the lines of the event at hand that are read
  std::vector<std::size_t> matched_;
};

}  // namespace

ScanResult scan_logs(const std::vector<std::string>& logs, const std::vector<ops::Pattern>& patterns,
                     const ScanOptions& options, ErrorTally& tally) {
  ScanResult result;
  Scanner scanner(patterns, options, tally);
  for (const std::string& log : logs) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(log, ec))) files.emplace_back(log);
    for (auto& p : ops::rotated_logs(log)) files.push_back(p);
    if (files.empty()) files.emplace_back(log);  // read_log says why it cannot be opened
    std::size_t read = 0;
    std::string first_error;
    std::vector<std::string> notes;
    for (const fs::path& path : files) {
      bool reached = false;
      try {
        reached = scanner.file(path, result);
        ++read;
        result.files.push_back(path.string());
      } catch (const ops::Error& e) {
        // A file cut short or corrupt (a truncated .gz) does not stop the
        // audit: the older files are still read.
        scanner.flush_frames();
        if (e.status() == ops::Status::critical) ++read;  // opened, then found damaged
        if (first_error.empty()) first_error = e.what();
        // The message names the file. A compressed one is read from its
        // start, a plain one from its end: what was read is counted.
        notes.push_back(e.what() + std::string(compressed(path) ? ": its events before the damage counted"
                                                                : ": its events after the damage counted"));
      }
      note_file(path.string(), scanner.notes(), options, notes);
      if (reached) break;
    }
    // Not one file of FILE could be opened: FILE as a whole is not audited.
    if (read == 0) result.unreadable.push_back({log, first_error});
    else result.notes.insert(result.notes.end(), notes.begin(), notes.end());
  }
  return result;
}

}  // namespace opsaudit
