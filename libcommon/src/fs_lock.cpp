#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>

namespace ops {

static Fd open_lock_file(const std::filesystem::path& path) {
  return open_file(path, O_RDWR | O_CREAT | O_NOFOLLOW, 0600);
}

FileLock FileLock::acquire(const std::filesystem::path& path) {
  Fd fd = open_lock_file(path);
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) fail_errno("cannot lock " + path.string(), errno);
  }
  return FileLock(path, std::move(fd));
}

FileLock FileLock::try_acquire(const std::filesystem::path& path) {
  Fd fd = open_lock_file(path);
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return FileLock(path, Fd());
    if (errno != EINTR) fail_errno("cannot lock " + path.string(), errno);
  }
  return FileLock(path, std::move(fd));
}

}  // namespace ops
