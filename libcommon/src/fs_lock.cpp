#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ops {

namespace {

struct Opened {
  Fd fd;
  bool created = false;
};

// Opens the lock file, never through a symlink, telling whether this open
// made it: O_EXCL first, then the existing file (and again if it went away).
Opened open_lock_file(const std::filesystem::path& path) {
  for (;;) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) return {Fd(fd), true};
    if (errno == EINTR) continue;
    if (errno != EEXIST) fail_errno("cannot open " + path.string(), errno);
    fd = ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) return {Fd(fd), false};
    if (errno != ENOENT && errno != EINTR) fail_errno("cannot open " + path.string(), errno);
  }
}

// Whether path still names the file fd locked: a holder that removed it
// (remove_if_created) leaves those who waited on it a lock on nothing.
bool still_named(const Fd& fd, const std::filesystem::path& path) {
  struct stat held {}, named {};
  if (::fstat(fd.get(), &held) != 0) fail_errno("cannot stat " + path.string(), errno);
  if (::lstat(path.c_str(), &named) != 0) {
    if (errno == ENOENT) return false;
    fail_errno("cannot stat " + path.string(), errno);
  }
  return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace

FileLock FileLock::acquire(const std::filesystem::path& path) {
  for (;;) {
    Opened lock = open_lock_file(path);
    while (::flock(lock.fd.get(), LOCK_EX) != 0) {
      if (errno != EINTR) fail_errno("cannot lock " + path.string(), errno);
    }
    if (still_named(lock.fd, path)) return FileLock(path, std::move(lock.fd), lock.created);
  }
}

FileLock FileLock::try_acquire(const std::filesystem::path& path) {
  for (;;) {
    Opened lock = open_lock_file(path);
    while (::flock(lock.fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return FileLock(path, Fd(), false);
      if (errno != EINTR) fail_errno("cannot lock " + path.string(), errno);
    }
    if (still_named(lock.fd, path)) return FileLock(path, std::move(lock.fd), lock.created);
  }
}

void FileLock::remove_if_created() noexcept {
  // Unlinked while still held: whoever opened it meanwhile sees it gone.
  if (fd_ && created_) ::unlink(path_.c_str());
  fd_.reset();
}

}  // namespace ops
