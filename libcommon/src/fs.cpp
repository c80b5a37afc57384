#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
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

std::string read_file(const std::filesystem::path& path) {
  Fd fd = open_file(path, O_RDONLY);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("cannot read " + path.string(), errno);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

void fsync_parent_dir(const std::filesystem::path& path) {
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  Fd fd = open_file(dir, O_RDONLY | O_DIRECTORY);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) fail_errno("cannot fsync directory " + dir.string(), errno);
}

AtomicFile::AtomicFile(std::filesystem::path destination, mode_t mode)
    : destination_(std::move(destination)) {
  auto dir = destination_.parent_path();
  if (dir.empty()) dir = ".";
  // The leading dot keeps globs like *.tsv or *.gz from seeing the temporary.
  std::string tmpl = (dir / ("." + destination_.filename().string() + ".tmp.XXXXXX")).string();
  int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) fail_errno("cannot create a temporary file in " + dir.string(), errno);
  fd_.reset(fd);
  temp_ = tmpl;
  if (::fchmod(fd, mode) != 0) {
    int err = errno;
    ::unlink(temp_.c_str());  // the destructor does not run for a constructor that throws
    fail_errno("cannot set the mode of " + temp_.string(), err);
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    fd_.reset();
    ::unlink(temp_.c_str());
  }
}

void AtomicFile::write(std::string_view data) { write_all(fd_.get(), data, temp_.string()); }

void AtomicFile::commit() {
  if (::fsync(fd_.get()) != 0) fail_errno("cannot fsync " + temp_.string(), errno);
  fd_.close();
  if (::rename(temp_.c_str(), destination_.c_str()) != 0)
    fail_errno("cannot rename " + temp_.string() + " to " + destination_.string(), errno);
  committed_ = true;
  fsync_parent_dir(destination_);
}

void write_file_atomic(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  AtomicFile file(path, mode);
  file.write(data);
  file.commit();
}


}  // namespace ops
