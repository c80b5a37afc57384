#pragma once
// Reading a file the walk found, relative to the directory fd that holds it,
// never through a symlink and never blocking on a FIFO swapped in meanwhile;
// only when it is still the file the walk saw.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <sys/stat.h>

namespace opsaudit::files {

// Opens `name` in dir_fd read-only (O_NOFOLLOW, O_NONBLOCK, O_NOATIME when
// allowed) and hands its bytes to `chunk` up to `limit` bytes. Returns an
// errno-like error text ("Permission denied", "changed while read") or empty.
std::string read_entry(int dir_fd, const char* name, const struct stat& seen,
                       const std::function<void(std::string_view)>& chunk,
                       std::uint64_t limit = UINT64_MAX);

}  // namespace opsaudit::files
