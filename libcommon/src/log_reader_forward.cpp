// read_log_forward: a log's lines oldest first, on from its oldest rotated
// predecessor to FILE itself. Plain and decompressed bytes go through one
// splitter, so the two kinds of file cannot disagree on what a line is.
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
#include <cstring>
#include <fmt/format.h>

namespace ops {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunk = 1 << 20;

// Thrown from inside a decompression sink when the caller asked to stop.
struct Stopped {};

// Bytes in, lines out: a line inside one chunk is handed over in place; only
// one that straddles two chunks is copied (and kept to max_line bytes).
class LineSplitter {
 public:
  LineSplitter(std::string_view file, SysTime now, const LogReadOptions& options,
               const std::function<bool(const LogLine&)>& each)
      : file_(file), times_(now), options_(options), each_(each) {}

  // False: the caller asked to stop.
  bool feed(std::string_view chunk) {
    const char* p = chunk.data();
    const char* const end = p + chunk.size();
    while (p < end) {
      const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (!nl) {
        keep(std::string_view(p, static_cast<std::size_t>(end - p)));
        return true;
      }
      const std::string_view piece(p, static_cast<std::size_t>(nl - p));
      p = nl + 1;
      if (partial_.empty() && !partial_cut_) {
        const bool cut = piece.size() > options_.max_line;
        if (!line(cut ? piece.substr(0, options_.max_line) : piece, cut)) return false;
      } else {
        keep(piece);
        const bool cut = partial_cut_;
        partial_cut_ = false;
        const bool go_on = line(partial_, cut);
        partial_.clear();
        if (!go_on) return false;
      }
    }
    return true;
  }
  // The last line, when the file does not end with a newline.
  bool finish() {
    if (partial_.empty() && !partial_cut_) return true;
    const bool cut = partial_cut_;
    partial_cut_ = false;
    const bool go_on = line(partial_, cut);
    partial_.clear();
    return go_on;
  }

 private:
  void keep(std::string_view piece) {
    const std::size_t room = options_.max_line - std::min(options_.max_line, partial_.size());
    if (piece.size() > room) partial_cut_ = true;
    partial_.append(piece.substr(0, std::min(room, piece.size())));
  }

  bool line(std::string_view text, bool cut) {
    ++number_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    const std::optional<SysTime> t = times_.time_of(text);
    if (t) skipping_ = options_.since && *t < *options_.since;
    if (skipping_) return true;
    return each_(LogLine{file_, number_, t, text, cut});
  }

  std::string_view file_;
  LogTimeReader times_;
  const LogReadOptions& options_;
  const std::function<bool(const LogLine&)>& each_;
  std::string partial_;
  bool partial_cut_ = false;
  bool skipping_ = false;  // the last timestamped line was before since: its followers go with it
  std::uint64_t number_ = 0;
};

// One file; false: the caller asked to stop.
bool read_one_forward(const fs::path& path, bool is_rotated, SysTime now, const LogReadOptions& options,
                      const std::function<bool(const LogLine&)>& each, LogReadStats& stats) {
  const std::string what = path.string();
  struct stat st{};
  Fd fd = open_log_file(what, st);
  if (is_rotated && options.since && SysTime{std::chrono::seconds{st.st_mtim.tv_sec}} < *options.since - options.disorder)
    return true;
  stats.files.push_back(what);
  char head[8] = {};
  const std::size_t got = pread_full(fd.get(), head, sizeof head, 0, what);
  LineSplitter lines(what, now, options, each);
  if (detect_compression(std::string_view(head, got))) {
    stats.bytes_read += static_cast<std::uint64_t>(st.st_size);
    try {
      decompress_fd(fd.get(), what, [&](std::string_view chunk) {
        if (!lines.feed(chunk)) throw Stopped{};
      });
    } catch (const Stopped&) {
      return false;
    } catch (const Error& e) {
      stats.errors.emplace_back(e.what());
    }
    return lines.finish();
  }
  std::string buf(kChunk, '\0');
  for (;;) {
    const std::size_t n = read_full(fd.get(), buf.data(), buf.size(), what);
    stats.bytes_read += n;
    if (n == 0) break;
    if (!lines.feed(std::string_view(buf.data(), n))) return false;
    if (n < buf.size()) break;
  }
  return lines.finish();
}

}  // namespace

LogReadStats read_log_forward(const fs::path& file, SysTime now, const LogReadOptions& options,
                              const std::function<bool(const LogLine&)>& each) {
  LogReadStats stats;
  std::vector<fs::path> files;
  if (options.rotated) files = rotated_logs(file);
  std::reverse(files.begin(), files.end());
  for (const fs::path& path : files)
    if (!read_one_forward(path, true, now, options, each, stats)) return stats;
  std::error_code ec;
  const bool current = fs::exists(fs::symlink_status(file, ec)) || fs::exists(file, ec);
  if (current || files.empty()) read_one_forward(file, false, now, options, each, stats);  // missing: "cannot open FILE"
  return stats;
}

}  // namespace ops
