#include "opsbackup/files/file_copy.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <unistd.h>

namespace opsbackup {

namespace {

bool same_time(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

}  // namespace

CopyOutcome copy_file_data(int fd, const struct stat& before, const std::string& what, const ops::ByteSink& sink) {
  const auto promised = static_cast<std::uint64_t>(std::max<off_t>(before.st_size, 0));
  std::string buffer(256 * 1024, '\0');
  std::uint64_t done = 0;
  bool short_read = false;
  while (done < promised) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), promised - done));
    const std::size_t n = ops::pread_full(fd, buffer.data(), want, static_cast<off_t>(done), what);
    if (n == 0) {
      short_read = true;
      break;
    }
    sink(std::string_view(buffer.data(), n));
    done += n;
  }
  const std::uint64_t got = done;
  if (short_read) {
    std::fill(buffer.begin(), buffer.end(), '\0');
    while (done < promised) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), promised - done));
      sink(std::string_view(buffer.data(), n));
      done += n;
    }
  }

  struct stat after {};
  if (::fstat(fd, &after) != 0) ops::fail_errno("cannot stat " + what, errno);
  if (short_read || after.st_size < before.st_size)
    return {true, fmt::format("it shrank from {} to {} bytes while being read", promised,
                              short_read ? got : static_cast<std::uint64_t>(after.st_size))};
  if (after.st_size > before.st_size)
    return {true, fmt::format("it grew from {} to {} bytes while being read", promised, after.st_size)};
  if (!same_time(after.st_mtim, before.st_mtim)) return {true, "it was modified while being read"};
  return {};
}

}  // namespace opsbackup
