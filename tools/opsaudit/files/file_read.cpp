#include "opsaudit/files/file_read.hpp"

#include <ops/fs.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace opsaudit::files {

std::string read_entry(int dir_fd, const char* name, const struct stat& seen,
                       const std::function<void(std::string_view)>& chunk, std::uint64_t limit) {
  const int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  // O_NOATIME: an audit should not leave its mark on every file (allowed to
  // the owner and to root; EPERM otherwise, then without it).
  int raw = ::openat(dir_fd, name, flags | O_NOATIME);
  if (raw < 0 && errno == EPERM) raw = ::openat(dir_fd, name, flags);
  if (raw < 0) return std::strerror(errno);
  ops::Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return std::strerror(errno);
  if (!S_ISREG(st.st_mode) || st.st_ino != seen.st_ino || st.st_dev != seen.st_dev) return "changed while read";
  // One buffer for every file of the walk: a tree of small files must not
  // pay an allocation (and its zeroing) per file.
  static thread_local std::vector<char> buffer(256 * 1024);
  std::uint64_t total = 0;
  while (total < limit) {
    ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::strerror(errno);
    if (n == 0) break;
    const std::uint64_t take = std::min<std::uint64_t>(static_cast<std::uint64_t>(n), limit - total);
    chunk(std::string_view(buffer.data(), take));
    total += take;
  }
  return "";
}

}  // namespace opsaudit::files
