#include "opsrotate/message_log.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>
#include <ops/text.hpp>

#include <cerrno>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace opsrotate {

void check_message_log(const std::filesystem::path& path, const std::string& where) {
  if (path.empty()) ops::fail_usage(fmt::format("{}: the log file name is empty", where));
  const std::string name = ops::shown(path.string());
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) ops::fail_usage(fmt::format("{}: log file {} is a directory", where, name));
    if (!S_ISREG(st.st_mode)) ops::fail_usage(fmt::format("{}: log file {} is not a regular file", where, name));
    if (::access(path.c_str(), W_OK) != 0)
      ops::fail_usage(fmt::format("{}: log file {}: {}", where, name, ops::errno_text(errno)));
    return;
  }
  if (int err = errno; err != ENOENT) ops::fail_usage(fmt::format("{}: log file {}: {}", where, name, ops::errno_text(err)));
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  const std::string dir_name = ops::shown(dir.string());
  if (::stat(dir.c_str(), &st) != 0) {
    int err = errno;
    ops::fail_usage(fmt::format("{}: directory {} of log file {}: {}", where, dir_name, name, ops::errno_text(err)));
  }
  if (!S_ISDIR(st.st_mode)) ops::fail_usage(fmt::format("{}: {} of log file {} is not a directory", where, dir_name, name));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    ops::fail_usage(fmt::format("{}: directory {} of log file {}: {}", where, dir_name, name, ops::errno_text(errno)));
}

void append_message_log(const std::filesystem::path& path, std::string_view text) {
  ops::Fd fd = ops::open_file(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_NOCTTY, 0640);
  ops::require_regular(fd, path);
  ops::write_all(fd.get(), text, path.string());
  fd.close();
}

}  // namespace opsrotate
