#include "opsrotate/config/config_files.hpp"

#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <fnmatch.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace opsrotate {

namespace {

[[noreturn]] void refuse(const Where* include_at, const std::string& path, const std::string& why,
                         const std::string& hint = {}) {
  if (include_at) include_at->fail(fmt::format("cannot include {}: {}", shown(path, std::string_view::npos), why), hint);
  ops::fail_usage(fmt::format("cannot read configuration {}: {}", shown(path, std::string_view::npos), why), hint);
}

std::string home_dir() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  std::string buffer(16384, '\0');
  passwd entry{};
  passwd* result = nullptr;
  if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &result) == 0 && result && result->pw_dir)
    return result->pw_dir;
  return "/";
}

}  // namespace

bool Taboo::matches(const std::string& file_name) const {
  for (const auto& ext : extensions)
    if (::fnmatch(("*" + ext).c_str(), file_name.c_str(), 0) == 0) return true;
  for (const auto& pattern : patterns)
    if (::fnmatch(pattern.c_str(), file_name.c_str(), 0) == 0) return true;
  return false;
}

std::string expand_home(const std::string& path) {
  if (path.rfind("~/", 0) != 0) return path;
  return home_dir() + path.substr(1);
}

bool is_config_dir(const std::string& path, const Where* include_at) {
  if (path.find('\0') != std::string::npos) refuse(include_at, path, "a NUL byte in the name");
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) refuse(include_at, path, ops::errno_text(errno));
  return S_ISDIR(st.st_mode);
}

std::vector<std::string> config_dir_files(const std::string& dir, const Taboo& taboo, const Where* include_at) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  if (ec) refuse(include_at, dir, ec.message());
  std::sort(names.begin(), names.end());
  std::vector<std::string> files;
  for (const auto& name : names) {
    if (taboo.matches(name)) continue;
    std::string path = (fs::path(dir) / name).string();
    struct stat st{};
    // logrotate skips directories, FIFOs... quietly; read_config_file refuses what stat() cannot see.
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) files.push_back(std::move(path));
  }
  return files;
}

ConfigFile read_config_file(const std::string& path, const Where* include_at) {
  if (path.find('\0') != std::string::npos) refuse(include_at, path, "a NUL byte in the name");
  // O_NONBLOCK: a FIFO put where a config file was expected must not hang us
  // (it hangs logrotate 3.21); it is refused below as not a regular file.
  ops::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) refuse(include_at, path, ops::errno_text(errno));
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) refuse(include_at, path, ops::errno_text(errno));
  if (!S_ISREG(st.st_mode)) refuse(include_at, path, "not a regular file");
  // logrotate's rule for its configuration: not writable by any group, root's included.
  if (ops::exposure(st, {.root_group_trusted = false}) != ops::Exposure::none)
    refuse(include_at, path, fmt::format("it is writable by group or others (mode {:04o})", st.st_mode & 07777),
           fmt::format("logrotate ignores such a file, for safety: chmod go-w '{}'", path));
  if (st.st_uid != 0 && st.st_uid != ::getuid())
    refuse(include_at, path,
           fmt::format("it is owned by uid {}, neither root nor the user running opsrotate (uid {})", st.st_uid,
                       ::getuid()),
           fmt::format("logrotate ignores such a file, for safety: chown root '{}'", path));
  ConfigFile file{path, {}, st.st_dev, st.st_ino};
  char buffer[65536];
  while (true) {
    ssize_t n = ops::read_retrying(fd.get(), buffer, sizeof buffer);
    if (n < 0) refuse(include_at, path, ops::errno_text(errno));
    if (n == 0) break;
    file.text.append(buffer, static_cast<std::size_t>(n));
  }
  return file;
}

}  // namespace opsrotate
