#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ops {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

void Fd::close() {
  int fd = release();
  if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) fail_errno("close failed", errno);
}

Fd open_file(const std::filesystem::path& path, int flags, mode_t mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) fail_errno("cannot open " + path.string(), errno);
  return Fd(fd);
}

Fd open_at_nofollow(int dirfd, const char* name, int flags, mode_t mode) {
  int fd;
  do {
    fd = ::openat(dirfd, name, flags | O_CLOEXEC | O_NOFOLLOW, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) fail_errno(std::string("cannot open ") + name, errno);
  return Fd(fd);
}

void write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("cannot write " + what, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void require_regular(const Fd& fd, const std::filesystem::path& path) {
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_errno("cannot stat " + path.string(), errno);
  if (!S_ISREG(st.st_mode)) fail_usage(path.string() + " is not a regular file");
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0)
    fail_errno("cannot read " + path.string(), errno);
}

Fd open_regular(const std::filesystem::path& path) {
  Fd fd = open_file(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
  require_regular(fd, path);
  return fd;
}

std::string read_file(const std::filesystem::path& path) {
  Fd fd = open_regular(path);
  return read_all(fd.get(), path.string());
}

ssize_t read_retrying(int fd, void* buf, std::size_t size) noexcept {
  ssize_t n;
  do n = ::read(fd, buf, size);
  while (n < 0 && errno == EINTR);
  return n;
}

std::size_t read_some(int fd, void* buf, std::size_t size, const std::string& what) {
  ssize_t n = read_retrying(fd, buf, size);
  if (n < 0) fail_errno("cannot read " + what, errno);
  return static_cast<std::size_t>(n);
}

std::size_t read_full(int fd, void* buf, std::size_t size, const std::string& what) {
  std::size_t done = 0;
  while (done < size) {
    std::size_t n = read_some(fd, static_cast<char*>(buf) + done, size - done, what);
    if (n == 0) break;
    done += n;
  }
  return done;
}

off_t file_size(int fd, const std::string& what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno("cannot stat " + what, errno);
  return st.st_size;
}

std::size_t pread_full(int fd, void* buf, std::size_t size, off_t offset, const std::string& what) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, static_cast<char*>(buf) + done, size - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("cannot read " + what, errno);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::uint64_t read_chunks(int fd, const std::string& what, const std::function<void(std::string_view)>& chunk,
                          std::size_t buffer_size) {
  std::string buf(buffer_size, '\0');
  std::uint64_t total = 0;
  for (;;) {
    std::size_t n = read_some(fd, buf.data(), buf.size(), what);
    if (n == 0) return total;
    total += n;
    chunk(std::string_view(buf.data(), n));
  }
}

std::string read_all(int fd, const std::string& what, std::size_t limit) {
  std::string out;
  char buf[65536];
  while (out.size() < limit) {
    std::size_t n = read_some(fd, buf, std::min(sizeof buf, limit - out.size()), what);
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

void fsync_parent_dir(const std::filesystem::path& path) {
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  Fd fd = open_file(dir, O_RDONLY | O_DIRECTORY);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) fail_errno("cannot fsync directory " + dir.string(), errno);
}

AtomicFile::AtomicFile(std::filesystem::path destination, mode_t mode, Replace replace)
    : destination_(std::move(destination)), replace_(replace) {
  Dir dir = Dir::open_parent(destination_);
  file_ = std::make_unique<TempFile>(dir, destination_.filename().string(), TempOptions{mode, {}});
  temp_ = destination_.parent_path() / file_->name();
}

AtomicFile::~AtomicFile() = default;

int AtomicFile::fd() const noexcept { return file_->fd(); }

void AtomicFile::write(std::string_view data) { file_->write(data); }

void AtomicFile::commit() {
  if (replace_ == Replace::yes) return file_->publish_replacing();
  if (!file_->publish()) fail("cannot write " + destination_.string() + ": it exists");
}

void write_file_atomic(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  AtomicFile file(path, mode);
  file.write(data);
  file.commit();
}


std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symlink";
  return S_ISREG(mode) ? "a regular file" : "not a regular file";
}

bool is_null_device(const std::filesystem::path& path) {
  struct stat st {};
  struct stat null {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && ::stat("/dev/null", &null) == 0 &&
         S_ISCHR(null.st_mode) && st.st_rdev == null.st_rdev;
}

}  // namespace ops
