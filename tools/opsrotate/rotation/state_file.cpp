// logrotate's state file: read what logrotate 3.21 reads, write what it writes.
// The rules were found by running logrotate 3.21 on odd paths and odd files;
// state_file.hpp sums them up.
#include "opsrotate/rotation/state_file.hpp"

#include <ops/value_check.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_acl.hpp>
#include <ops/fs_regular.hpp>
#include <ops/local_time.hpp>
#include <ops/text.hpp>

#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <fmt/format.h>
#include <optional>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace opsrotate {

namespace {

constexpr std::string_view kHeader = "logrotate state -- version 2";
constexpr std::string_view kHeaderV1 = "logrotate state -- version 1";

// Why a line could not be read; empty = it could.
using Why = std::string;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// Splits a line into words as logrotate does (its popt-style argv parser):
// quotes group, a backslash outside quotes takes the next byte literally, and
// inside quotes it only escapes the quote itself (`"a\b"` stays a\b).
std::vector<std::string> split_words(std::string_view line, Why& why) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
        continue;
      }
      if (c == '\\') {
        if (++i == line.size()) break;  // unterminated, reported below
        if (line[i] != quote) word += '\\';
        c = line[i];
      }
      word += c;
      continue;
    }
    if (is_space(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\') {
      if (++i == line.size()) {
        why = "a backslash ends the line";
        return {};
      }
      word += line[i];
    } else {
      word += c;
    }
  }
  if (quote) {
    why = "unterminated quote";
    return {};
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// After splitting, logrotate turns \\ into \ and \n into a newline in the
// path, left to right; any other backslash stays.
std::string unescape_path(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == 'n')) {
      out += s[i + 1] == 'n' ? '\n' : '\\';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// A run of 1-4 digits at the front of s, consumed.
std::optional<int> take_number(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && n < 5 && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || n > 4) return std::nullopt;
  int v = 0;
  std::from_chars(s.data(), s.data() + n, v);
  s.remove_prefix(n);
  return v;
}

// Y-M-D[-H[:M[:S]]] in local time. logrotate normalises a day past the
// month's end (2020-2-30 is March 1st) through mktime; so does ops::from_local.
std::optional<ops::SysTime> parse_local_time(std::string_view text, Why& why) {
  int f[6] = {0, 1, 1, 0, 0, 0};
  const char seps[6] = {0, '-', '-', '-', ':', ':'};
  std::string_view s = text;
  int count = 0;
  for (; count < 6 && !s.empty(); ++count) {
    if (count > 0) {
      if (s.front() != seps[count]) break;
      s.remove_prefix(1);
    }
    auto v = take_number(s);
    if (!v) {
      why = fmt::format("'{}' is not a time Y-M-D-H:M:S", text);
      return std::nullopt;
    }
    f[count] = *v;
  }
  if (count < 3 || !s.empty()) {
    why = fmt::format("'{}' is not a time Y-M-D-H:M:S", text);
    return std::nullopt;
  }
  struct Range {
    const char* name;
    int lo, hi;
  };
  const Range ranges[6] = {{"year", 1970, 2100}, {"month", 1, 12}, {"day", 1, 31},
                           {"hour", 0, 23},      {"minute", 0, 59}, {"second", 0, 59}};
  for (int i = 0; i < 6; ++i) {
    if (f[i] < ranges[i].lo || f[i] > ranges[i].hi) {
      why = fmt::format("{} {} is out of range ({}-{})", ranges[i].name, f[i], ranges[i].lo, ranges[i].hi);
      return std::nullopt;
    }
  }
  return ops::from_local({f[0], f[1], f[2], f[3], f[4], f[5]});
}

std::string shown(std::string_view line) {
  constexpr std::size_t kMax = 200;
  if (line.size() <= kMax) return std::string(line);
  return std::string(line.substr(0, kMax)) + "...";
}

}  // namespace

std::string quote_state_path(const std::string& path) {
  std::string out = "\"";
  for (char c : path) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

std::string format_state_time(ops::SysTime t) {
  const auto l = ops::to_local(t);
  if (!l) ops::fail_errno("cannot convert a time to local time", EOVERFLOW);
  return fmt::format("{}-{}-{}-{}:{}:{}", l->year, l->month, l->day, l->hour, l->minute, l->second);
}

StateFile parse_state(const std::string& text, const std::string& file_name) {
  StateFile state;
  std::string_view rest = text;
  for (int number = 1; !rest.empty(); ++number) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);

    std::string_view body = ops::trim(line);
    if (body.empty()) continue;
    if (number == 1 && (body == kHeader || body == kHeaderV1)) continue;

    Why why;
    std::vector<std::string> words;
    if (body.find('\0') != std::string_view::npos) why = "a NUL byte in the line";
    else words = split_words(body, why);
    if (why.empty() && words.size() != 2)
      why = words.size() < 2 ? "a path and a time are needed" : "text after the time";
    std::string path;
    if (why.empty()) {
      path = unescape_path(words[0]);
      if (path.empty()) why = "empty path";
    }
    std::optional<ops::SysTime> when;
    if (why.empty()) when = parse_local_time(words[1], why);
    if (!why.empty() || !when) {
      state.warnings.push_back(
          fmt::format("bad line {} in state file {}: '{}': {}", number, file_name, shown(line), why));
      continue;
    }
    state.entries[path] = *when;  // a later line for the same path wins
  }
  return state;
}

bool is_no_state(const std::filesystem::path& path) { return ops::is_null_device(path); }

std::filesystem::path state_lock_path(const std::filesystem::path& path) {
  std::filesystem::path lock = path;
  lock += ".lock";
  return lock;
}

void check_state_path(const std::filesystem::path& path, const std::string& where) {
  if (path.empty())
    ops::fail_usage(fmt::format("{}: the state file name is empty", where),
                    "give -s FILE, or leave it out for /var/lib/logrotate/status");
  // The rule of every file a tool creates by name (a FIFO, a device, a
  // directory, a symlink, a missing directory: refused), here for the
  // default path and the configuration's too, which no option check saw.
  try {
    ops::check_new_file(path.string(), ops::NewFile::or_null_device);
  } catch (const ops::Error& e) {
    ops::fail_usage(fmt::format("{}: {}", where, e.what()));
  }
  if (is_no_state(path)) return;  // no lock is made beside it
  const std::string name = ops::shown(path.string());
  struct stat st {};
  // The lock is opened without following a symlink and must be a file.
  const std::filesystem::path lock = state_lock_path(path);
  if (::lstat(lock.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    ops::fail_usage(fmt::format("{}: lock file {} of state file {} is not a regular file", where,
                                ops::shown(lock.string()), name));
}

StateFile read_state(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return {};
  return parse_state(ops::read_file(path), path.string());
}

std::string format_state(const StateFile& state) {
  std::string out(kHeader);
  out += '\n';
  for (const auto& [path, when] : state.entries) {
    out += quote_state_path(path);
    out += ' ';
    out += format_state_time(when);
    out += '\n';
  }
  return out;
}

namespace {

// The new state file takes the owner (when we are root), mode and ACL of the
// one it replaces, as logrotate's does, so a monitoring user given read
// access with setfacl keeps it. Read access for others is dropped, and then
// the ACL (which would give it back) is not copied: logrotate's rule, since
// anyone who can open logrotate's state file can flock it and stall a run.
void keep_attributes(const std::filesystem::path& path, ops::AtomicFile& file) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return;  // none yet (or not one we read): the new file gets the default mode
  ops::Fd old(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
  const std::string shown = file.temp_path().string();
  if (::geteuid() == 0 && ::fchown(file.fd(), st.st_uid, st.st_gid) != 0)
    ops::fail_errno("cannot set the owner of " + shown, errno);
  mode_t mode = st.st_mode & 0777;
  const bool others_read = (mode & S_IROTH) != 0;
  mode &= ~static_cast<mode_t>(S_IROTH);
  if (::fchmod(file.fd(), mode) != 0) ops::fail_errno("cannot set the mode of " + shown, errno);
  if (!others_read) ops::copy_access_acl(fd, path.string(), file.fd(), shown);
}

}  // namespace

void write_state(const std::filesystem::path& path, const StateFile& state, mode_t mode) {
  ops::AtomicFile file(path, mode);
  keep_attributes(path, file);
  file.write(format_state(state));
  file.commit();
}

}  // namespace opsrotate
