#include "opsdf/history/history.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>
#include <ops/output.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace opsdf {

namespace {

// The inverse of ops::tsv_escape; nothing for an unknown escape.
std::optional<std::string> unescape_field(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i == s.size()) return std::nullopt;
    if (s[i] == 't') out += '\t';
    else if (s[i] == 'n') out += '\n';
    else if (s[i] == '\\') out += '\\';
    else return std::nullopt;
  }
  return out;
}

std::optional<std::uint64_t> parse_bytes(std::string_view s) {
  std::uint64_t value = 0;
  if (s.empty() || s[0] == '+' || s[0] == '-') return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

// A bad value as it can be shown in a one-line message: control bytes made
// visible, long text cut.
std::string shown(std::string_view s) {
  constexpr std::size_t kMax = 60;
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < kMax; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  if (s.size() > kMax) out += "...";
  return out;
}

// A line read back: its sample, or what is wrong with it. The one rule of
// what a history line may be, for the reader and for the writer's check.
struct LineRead {
  std::optional<Sample> sample;
  std::string problem;  // when there is no sample
};

LineRead read_line(std::string_view line) {
  auto bad = [](std::string why) { return LineRead{std::nullopt, std::move(why)}; };
  std::vector<std::string_view> fields;
  for (std::size_t start = 0;;) {
    auto tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  if (fields.size() != 5)
    return bad(fmt::format("expected 5 tab-separated fields (time, kind, series, used, avail), found {}",
                           fields.size()));
  Sample s;
  try {
    s.time = ops::parse_time(fields[0]);
  } catch (const ops::Error&) {
    return bad(fmt::format("bad time '{}'", shown(fields[0])));
  }
  auto kind = parse_kind(fields[1]);
  if (!kind) return bad(fmt::format("bad kind '{}' (expected fs, dir or db)", shown(fields[1])));
  s.kind = *kind;
  auto series = unescape_field(fields[2]);
  if (!series || series->empty()) return bad(fmt::format("bad series name '{}'", shown(fields[2])));
  s.series = std::move(*series);
  auto used = parse_bytes(fields[3]);
  if (!used) return bad(fmt::format("bad byte count '{}'", shown(fields[3])));
  s.used = *used;
  if (!fields[4].empty()) {
    s.avail = parse_bytes(fields[4]);
    if (!s.avail) return bad(fmt::format("bad byte count '{}'", shown(fields[4])));
  }
  return {std::move(s), {}};
}

// flock that retries on EINTR. A filesystem without locks (ENOLCK, some
// network mounts) is no reason to refuse: the lock only orders our own runs.
void lock_fd(const ops::Fd& fd, int operation, const std::filesystem::path& path) {
  while (::flock(fd.get(), operation) != 0) {
    if (errno == EINTR) continue;
    if (errno == ENOLCK || errno == EOPNOTSUPP) return;
    ops::fail_errno("cannot lock " + path.string(), errno);
  }
}

std::string pread_exact(const ops::Fd& fd, off_t offset, std::size_t size, const std::filesystem::path& path) {
  std::string buf(size, '\0');
  buf.resize(ops::pread_full(fd.get(), buf.data(), size, offset, path.string()));
  return buf;
}

// The offset just past the last '\n' before `size`; 0 when there is none.
off_t end_of_last_line(const ops::Fd& fd, off_t size, const std::filesystem::path& path) {
  constexpr off_t kChunk = 4096;
  for (off_t end = size; end > 0;) {
    off_t start = end > kChunk ? end - kChunk : 0;
    std::string chunk = pread_exact(fd, start, static_cast<std::size_t>(end - start), path);
    auto nl = chunk.rfind('\n');
    if (nl != std::string::npos) return start + static_cast<off_t>(nl) + 1;
    end = start;
  }
  return 0;
}

// mkdir -p with mode 0755; returns the directories it made, outermost first.
std::vector<std::filesystem::path> make_parents(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> made;
  std::filesystem::path prefix;
  auto parent = path.parent_path();
  for (const auto& part : parent) {
    prefix /= part;
    if (::mkdir(prefix.c_str(), 0755) == 0) made.push_back(prefix);
    else if (errno != EEXIST) ops::fail_errno("cannot create directory " + prefix.string(), errno);
  }
  return made;
}

// Makes the file end with a complete line, or be empty, and checks that it
// is a history. Returns the size it has then.
off_t repair(const ops::Fd& fd, const std::filesystem::path& path, AppendResult& result) {
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) ops::fail_errno("cannot stat " + path.string(), errno);
  if (!S_ISREG(st.st_mode)) ops::fail_usage(fmt::format("history {} is not a regular file", path.string()));
  off_t size = st.st_size;
  if (size == 0) return 0;
  const std::string header = std::string(kHistoryHeader) + "\n";
  std::string head = pread_exact(fd, 0, header.size(), path);
  bool torn_header = static_cast<std::size_t>(size) < header.size() && header.compare(0, head.size(), head) == 0;
  if (!torn_header && head != header)
    ops::fail_usage(fmt::format("{} is not an opsdf history: its first line is not '{}'", path.string(),
                                shown(kHistoryHeader)),
                    "give another --history file, or move this one out of the way");
  if (!torn_header && pread_exact(fd, size - 1, 1, path) == "\n") return size;
  off_t keep = torn_header ? 0 : end_of_last_line(fd, size, path);
  auto cut = static_cast<std::size_t>(size - keep);
  std::string tail = pread_exact(fd, keep, std::min<std::size_t>(cut, 64), path);  // enough to show
  if (::ftruncate(fd.get(), keep) != 0) ops::fail_errno("cannot truncate " + path.string(), errno);
  result.warnings.push_back(fmt::format("{}: removed an incomplete last line left by an interrupted run "
                                        "({} bytes: '{}')",
                                        path.string(), cut, shown(tail)));
  return keep;
}

}  // namespace

std::string_view kind_name(SeriesKind kind) noexcept {
  switch (kind) {
    case SeriesKind::fs: return "fs";
    case SeriesKind::dir: return "dir";
    case SeriesKind::db: return "db";
  }
  return "fs";
}

std::optional<SeriesKind> parse_kind(std::string_view text) noexcept {
  if (text == "fs") return SeriesKind::fs;
  if (text == "dir") return SeriesKind::dir;
  if (text == "db") return SeriesKind::db;
  return std::nullopt;
}

std::string format_sample(const Sample& s) {
  std::string avail = s.avail ? fmt::format("{}", *s.avail) : "";
  return fmt::format("{}\t{}\t{}\t{}\t{}\n", ops::format_time(s.time), kind_name(s.kind), ops::tsv_escape(s.series),
                     s.used, avail);
}

std::optional<std::string> recordable_line(const Sample& sample, std::string& problem) {
  std::string line = format_sample(sample);
  LineRead back = read_line(std::string_view(line).substr(0, line.size() - 1));
  if (!back.sample) problem = back.problem;
  else if (!(*back.sample == sample)) problem = fmt::format("'{}' reads back as another value", shown(line));
  else return line;
  return std::nullopt;
}

std::string unrecordable(const Sample& sample, const std::string& problem) {
  return fmt::format("{} {}: not recorded, the history could not read it back: {}", kind_name(sample.kind),
                     shown(sample.series), problem);
}

AppendResult append_samples(const std::filesystem::path& path, const std::vector<Sample>& samples) {
  AppendResult result;
  if (samples.empty()) return result;
  std::string lines;
  for (const auto& s : samples) {
    std::string problem;
    if (auto line = recordable_line(s, problem)) {
      lines += *line;
      ++result.recorded;
    } else {
      result.warnings.push_back(unrecordable(s, problem));
    }
  }
  if (lines.empty()) return result;
  auto made = make_parents(path);
  ops::Fd fd = ops::open_file(path, O_RDWR | O_APPEND | O_CREAT, 0644);
  lock_fd(fd, LOCK_EX, path);  // released when fd closes
  off_t size = repair(fd, path, result);
  if (size == 0) {
    result.created = true;
    lines.insert(0, std::string(kHistoryHeader) + "\n");
  }
  // One write: a reader or a crash sees the whole snapshot, or a cut last line
  // that the reader skips and the next append removes.
  try {
    ops::write_all(fd.get(), lines, path.string());
  } catch (const ops::Error&) {
    // Disk full halfway: take the partial snapshot back if we can.
    [[maybe_unused]] int ignored = ::ftruncate(fd.get(), size);
    throw;
  }
  if (::fsync(fd.get()) != 0) ops::fail_errno("cannot fsync " + path.string(), errno);
  if (result.created) ops::fsync_parent_dir(path);
  for (const auto& dir : made) ops::fsync_parent_dir(dir);
  fd.close();
  return result;
}

History parse_history(std::string_view text, const std::string& name) {
  History h;
  int lineno = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    ++lineno;
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      h.warnings.push_back(fmt::format("{}:{}: ignoring an incomplete last line (an interrupted write?): '{}'", name,
                                       lineno, shown(text.substr(pos))));
      break;
    }
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (lineno == 1) {
      if (line != kHistoryHeader)
        ops::fail_usage(fmt::format("{}:1: not an opsdf history: the first line is not '{}'", name,
                                    shown(kHistoryHeader)));
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    // NUL bytes come from a crash (blocks allocated, data never written), not
    // from a person or from us: debris to skip, not an error to stop on.
    if (line.find('\0') != std::string_view::npos) {
      h.warnings.push_back(fmt::format("{}:{}: ignoring a damaged line (NUL bytes, left by a crash?)", name, lineno));
      continue;
    }
    LineRead read = read_line(line);
    if (read.sample) h.samples.push_back(std::move(*read.sample));
    else h.warnings.push_back(fmt::format("{}:{}: ignoring a bad line: {}", name, lineno, read.problem));
  }
  return h;
}

History read_history(const std::filesystem::path& path) {
  int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);  // a FIFO must not hang us
  if (raw < 0) {
    int err = errno;
    ops::fail_usage(fmt::format("cannot read history {}: {}", path.string(), ops::errno_text(err)),
                    err == ENOENT ? "run 'opsdf record' first (e.g. daily from cron)" : "");
  }
  ops::Fd fd(raw);
  ops::require_regular(fd, path);
  lock_fd(fd, LOCK_SH, path);  // wait for a running `record` to finish its line
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ops::read_retrying(fd.get(), buf, sizeof buf);
    if (n < 0) ops::fail_unknown_errno("cannot read history " + path.string(), errno);
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return parse_history(text, path.string());
}

}  // namespace opsdf
