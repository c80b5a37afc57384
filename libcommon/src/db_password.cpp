// Password files: the one way a password reaches ops besides the client
// libraries' own files (~/.pgpass, ~/.my.cnf). Never via argv or a DSN.

#include <ops/db.hpp>
#include <ops/dir.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ops::db {

namespace {
// A password is one short line; anything longer is not a password file.
constexpr std::size_t max_password_file_read = 64 * 1024;
}  // namespace

std::string read_password_file(const std::filesystem::path& path, Warnings& warnings) {
  const std::string name = path.string();
  if (name.empty()) fail_usage("empty password file name");
  // O_NONBLOCK: opening a FIFO nobody writes to would wait forever. A pipe
  // with a writer (<(pass show db)) is read normally below.
  Fd fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) {
    int err = errno;
    fail_usage(fmt::format("cannot read password file {}: {}", name, errno_text(err)));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    int err = errno;
    fail_usage(fmt::format("cannot read password file {}: {}", name, errno_text(err)));
  }
  if (S_ISDIR(st.st_mode)) fail_usage(fmt::format("password file {} is a directory", name));
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
    fail_usage(fmt::format("password file {} is not a regular file or a pipe", name));
  // Blocking reads again: a writer may be slow (gpg asking for a passphrase);
  // a FIFO without any writer reads as end of file, not as a wait.
  if (S_ISFIFO(st.st_mode) && ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK) != 0) {
    int err = errno;
    fail_usage(fmt::format("cannot read password file {}: {}", name, errno_text(err)));
  }
  // A pipe (e.g. <(pass show db)) has no meaningful mode; a regular file does.
  if (S_ISREG(st.st_mode) && exposure(st, {.root_group_trusted = false, .secret = true}) != Exposure::none)
    warnings.add("password file {} is accessible by group or others (mode {:04o}); chmod 600 it", name,
                 st.st_mode & 07777);

  std::string data;
  char buf[4096];
  while (data.size() < max_password_file_read && data.find('\n') == std::string::npos) {
    ssize_t n = read_retrying(fd.get(), buf, sizeof buf);
    if (n < 0) {
      int err = errno;
      fail_usage(fmt::format("cannot read password file {}: {}", name, errno_text(err)));
    }
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  std::string password = data.substr(0, data.find('\n'));
  if (password.ends_with('\r')) password.pop_back();
  if (password.empty() && S_ISFIFO(st.st_mode) && data.empty())
    fail_usage(fmt::format("password file {} is a pipe that nothing writes to", name));
  if (password.empty())
    fail_usage(fmt::format("password file {} is empty (the password is its first line)", name));
  return password;
}

}  // namespace ops::db
