#include <ops/log_reader.hpp>

#include "log_file_open.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/text.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>
#include <map>

namespace ops {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBlock = 64 * 1024;

std::string_view without_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Records from lines handed over newest first.
class BackwardRecords {
 public:
  BackwardRecords(const std::string& file, SysTime now, const LogReadOptions& options,
                  const std::function<bool(const LogRecord&)>& each, LogReadStats& stats)
      : file_(file), times_(now), options_(options), each_(each), stats_(stats) {}

  // False: stop reading.
  bool line(std::string_view text) {
    text = without_cr(text);
    auto t = times_.time_of(text);
    if (!t) {
      pending_.emplace_back(text);
      if (pending_.size() >= options_.max_untimed) return flush_untimed();
      return true;
    }
    if (options_.since && *t < *options_.since) {
      pending_.clear();
      if (*t >= *options_.since - options_.disorder) return true;  // out of order: skipped, reading goes on
      stats_.reached_since = true;
      return false;
    }
    LogRecord record{file_, t, {std::string(text)}};
    record.lines.insert(record.lines.end(), pending_.rbegin(), pending_.rend());
    pending_.clear();
    return each_(record);
  }
  // The lines at the head of the file with no timestamped line above them.
  bool finish() { return pending_.empty() || flush_untimed(); }

 private:
  bool flush_untimed() {
    LogRecord record{file_, std::nullopt, {pending_.rbegin(), pending_.rend()}};
    pending_.clear();
    return each_(record);
  }

  std::string file_;
  LogTimeReader times_;
  const LogReadOptions& options_;
  const std::function<bool(const LogRecord&)>& each_;
  LogReadStats& stats_;
  std::vector<std::string> pending_;  // newest first
};

// A plain file, backwards from its end in blocks. False: stopped.
bool read_plain_backwards(int fd, std::uint64_t size, const std::string& what, const LogReadOptions& options,
                          BackwardRecords& records, LogReadStats& stats) {
  auto pos = static_cast<off_t>(size);
  std::string tail;  // the end of a line whose start is not read yet
  bool at_file_end = true;
  std::string buf;
  while (pos > 0) {
    const auto n = static_cast<std::size_t>(std::min<off_t>(static_cast<off_t>(kBlock), pos));
    pos -= static_cast<off_t>(n);
    buf.resize(n);
    const std::size_t got = pread_full(fd, buf.data(), n, pos, what);
    stats.bytes_read += got;
    if (got != n) fail(fmt::format("cannot read {}: it shrank while it was read", shown(what)));
    buf += tail;
    std::size_t end = buf.size();
    while (end > 0) {
      const std::size_t nl = buf.rfind('\n', end - 1);
      if (nl == std::string::npos) break;
      const std::string_view line(buf.data() + nl + 1, end - nl - 1);
      // The newline that ends the last line does not start an empty one.
      if (!(at_file_end && line.empty()) && !records.line(line)) return false;
      at_file_end = false;
      end = nl;
    }
    tail.assign(buf, 0, std::min(end, options.max_line));
  }
  if (!tail.empty() && !records.line(tail)) return false;
  return records.finish();
}

// A compressed file, forwards: the records inside the bound are kept and
// then handed over newest first. False: stopped.
bool read_compressed(int fd, const std::string& what, SysTime now, const LogReadOptions& options,
                     const std::function<bool(const LogRecord&)>& each, LogReadStats& stats) {
  LogTimeReader times(now);
  std::vector<LogRecord> kept;
  bool current_kept = true;  // whether the untimed lines go to kept.back()
  std::string partial;
  auto line = [&](std::string_view text) {
    text = without_cr(text);
    if (text.size() > options.max_line) text = text.substr(0, options.max_line);
    if (auto t = times.time_of(text)) {
      current_kept = !(options.since && *t < *options.since);
      if (current_kept) kept.push_back(LogRecord{what, t, {std::string(text)}});
      else if (*t < *options.since - options.disorder) stats.reached_since = true;
      return;
    }
    if (!current_kept) return;  // a line of a record older than the bound
    if (kept.empty()) kept.push_back(LogRecord{what, std::nullopt, {}});  // the head: no timestamped line above
    kept.back().lines.emplace_back(text);
  };
  struct stat st{};
  if (::fstat(fd, &st) == 0) stats.bytes_read += static_cast<std::uint64_t>(st.st_size);
  // Newest first; false: the caller stopped.
  auto hand_over = [&] {
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
      if (it->lines.empty()) continue;
      if (!each(*it)) return false;
    }
    return true;
  };
  try {
    decompress_fd(fd, what, [&](std::string_view chunk) {
      std::size_t start = 0;
      for (std::size_t nl = chunk.find('\n'); nl != std::string_view::npos; nl = chunk.find('\n', start)) {
        if (partial.empty()) {
          line(chunk.substr(start, nl - start));
        } else {
          partial.append(chunk.substr(start, nl - start));
          line(partial);
          partial.clear();
        }
        start = nl + 1;
      }
      if (partial.size() < options.max_line) partial.append(chunk.substr(start));
    });
  } catch (const Error&) {
    // A file cut short or corrupt (a rotation interrupted, a disk full): the
    // whole lines before the damage are handed over, then the error is
    // thrown, so a caller can count them and still say the file is damaged.
    hand_over();
    throw;
  }
  if (!partial.empty()) line(partial);
  return hand_over() && !stats.reached_since;
}

// One file; false: stop (the caller's answer or the bound reached).
bool read_one(const fs::path& path, SysTime now, const LogReadOptions& options,
              const std::function<bool(const LogRecord&)>& each, LogReadStats& stats) {
  const std::string what = path.string();
  struct stat st{};
  Fd fd = open_log_file(what, st);
  stats.files.push_back(what);
  char head[8] = {};
  const std::size_t got = pread_full(fd.get(), head, sizeof head, 0, what);
  if (detect_compression(std::string_view(head, got))) return read_compressed(fd.get(), what, now, options, each, stats);
  BackwardRecords records(what, now, options, each, stats);
  return read_plain_backwards(fd.get(), static_cast<std::uint64_t>(st.st_size), what, options, records, stats);
}

bool compression_suffix_of(std::string_view rest) {
  return rest.empty() || rest == ".gz" || rest == ".xz" || rest == ".zst" || rest == ".bz2";
}

}  // namespace

std::vector<fs::path> rotated_logs(const fs::path& file) {
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const std::string base = file.filename().string();
  std::map<unsigned long, fs::path> numbered;            // by number; the plain one wins
  std::map<std::string, fs::path, std::greater<>> dated;  // newest date first
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= base.size() + 1 || name.compare(0, base.size(), base) != 0) continue;
    const std::string_view rest = std::string_view(name).substr(base.size());
    const char sep = rest[0];
    std::size_t digits = 1;
    if (sep == '.') {
      while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
      if (digits == 1 || !compression_suffix_of(rest.substr(digits)) || digits > 10) continue;
      const unsigned long n = std::stoul(std::string(rest.substr(1, digits - 1)));
      auto [slot, added] = numbered.emplace(n, it->path());
      if (!added && rest.substr(digits).empty()) slot->second = it->path();
    } else if (sep == '-') {
      while (digits < rest.size() && (std::isdigit(static_cast<unsigned char>(rest[digits])) || rest[digits] == '-' ||
                                      rest[digits] == '_'))
        ++digits;
      if (digits < 7 || !compression_suffix_of(rest.substr(digits))) continue;  // at least yyyymmdd
      const std::string key(rest.substr(1, digits - 1));
      auto [slot, added] = dated.emplace(key, it->path());
      if (!added && rest.substr(digits).empty()) slot->second = it->path();
    }
  }
  std::vector<fs::path> files;
  for (auto& [n, path] : numbered) files.push_back(path);
  for (auto& [key, path] : dated) files.push_back(path);
  return files;
}

LogReadStats read_log(const fs::path& file, SysTime now, const LogReadOptions& options,
                      const std::function<bool(const LogRecord&)>& each) {
  LogReadStats stats;
  std::vector<fs::path> files;
  std::error_code ec;
  const bool current = fs::exists(fs::symlink_status(file, ec)) || fs::exists(file, ec);
  if (current) files.push_back(file);
  if (options.rotated)
    for (auto& p : rotated_logs(file)) files.push_back(p);
  if (files.empty()) read_one(file, now, options, each, stats);  // throws "cannot open FILE: …"
  for (const fs::path& path : files)
    if (!read_one(path, now, options, each, stats)) break;
  return stats;
}

}  // namespace ops
