#include "opsrotate/message_log.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>
#include <ops/log.hpp>
#include <ops/text.hpp>
#include <ops/value_check.hpp>

#include <cerrno>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace opsrotate {

void check_message_log(const std::filesystem::path& path, const std::string& where) {
  if (path.empty()) ops::fail_usage(fmt::format("{}: the log file name is empty", where));
  try {
    ops::check_new_file(path.string());  // a FIFO, a device, a directory, a missing directory
  } catch (const ops::Error& e) {
    ops::fail_usage(fmt::format("{}: {}", where, e.what()));
  }
  // And writable by this run: the report is appended at the end, after the
  // rotation, when a refusal would come too late.
  const std::string name = ops::shown(path.string());
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (::access(path.c_str(), W_OK) != 0)
      ops::fail_usage(fmt::format("{}: log file {}: {}", where, name, ops::errno_text(errno)));
  } else if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    ops::fail_usage(fmt::format("{}: directory {} of log file {}: {}", where, ops::shown(dir.string()), name,
                                ops::errno_text(errno)));
  }
}

MessageLog::MessageLog(const std::filesystem::path& path)
    : path_(path), fd_(ops::open_file(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_NOCTTY, 0640)) {
  ops::require_regular(fd_, path);
}

void MessageLog::write(std::string_view text) { ops::write_all(fd_.get(), text, path_.string()); }

std::shared_ptr<MessageLog> start_message_log(const std::filesystem::path& path) {
  auto log = std::make_shared<MessageLog>(path);
  ops::log::set_copy([log](std::string_view line) { log->write(line); });
  return log;
}

}  // namespace opsrotate
