// The kept-tail record: an xattr holding the tail's size and checksum
// (kept_tail.hpp says why there and not in the state file).
#include "opsrotate/rotation/kept_tail.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/hash.hpp>

#include <charconv>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/xattr.h>

namespace opsrotate {

namespace {

constexpr const char* kName = "user.opsrotate.kept_tail";
// A tail is at most one block; a record claiming more is not ours.
constexpr std::uint64_t kMaxTail = 1 << 20;

// The checksum of the fd's first `size` bytes; empty when it has fewer.
std::string head_digest(int fd, std::uint64_t size) {
  std::string head(size, '\0');
  if (ops::pread_full(fd, head.data(), head.size(), 0, "the log") != size) return {};
  ops::Sha256 sha;
  sha.update(head);
  return sha.hex_digest();
}

}  // namespace

void record_kept_tail(int fd, std::uint64_t size) {
  if (size == 0 || size > kMaxTail) {
    forget_kept_tail(fd);
    return;
  }
  try {
    const std::string digest = head_digest(fd, size);
    if (digest.empty()) return;
    const std::string value = std::to_string(size) + " " + digest;
    // Best effort (kept_tail.hpp): without the record the tail counts as new.
    (void)::fsetxattr(fd, kName, value.data(), value.size(), 0);
  } catch (const ops::Error&) {
    // A log we cannot read back is reported by whatever reads it next.
  }
}

void forget_kept_tail(int fd) { (void)::fremovexattr(fd, kName); }

std::uint64_t kept_tail(const std::filesystem::path& log) {
  char buf[128];
  const ssize_t n = ::lgetxattr(log.c_str(), kName, buf, sizeof buf);
  if (n <= 0) return 0;
  const std::string_view value(buf, static_cast<std::size_t>(n));
  const auto space = value.find(' ');
  if (space == std::string_view::npos) return 0;
  std::uint64_t size = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + space, size);
  if (ec != std::errc() || end != value.data() + space || size == 0 || size > kMaxTail) return 0;
  try {
    // Never following a symlink put in its place, never blocking on a FIFO.
    ops::Fd fd = ops::open_file(log, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    return head_digest(fd.get(), size) == value.substr(space + 1) ? size : 0;
  } catch (const ops::Error&) {
    return 0;  // judged as new; the rotation itself reports what is wrong with the log
  }
}

}  // namespace opsrotate
