// Whether a compressed file holds exactly a plain file's bytes: what
// compress_in_place checks before it removes the plain file, and what
// decompresses_to answers. The decompressed bytes are compared with the plain
// file itself, read again (from the page cache, as a rule): no digest of
// either side, which cost as much as the inflate. A gzip file that fits in
// memory is inflated whole by the build's fastest engine (gunzip_whole);
// anything else streams through decompress_fd.
#include "compress_codec.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace ops::detail {

namespace {

// Above this (plain or compressed bytes), the check streams instead of
// holding both files in memory.
constexpr off_t kWholeUpTo = 128 << 20;
constexpr std::size_t kCompareChunk = 1 << 20;

off_t size_of(int fd, const std::string& what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno("cannot stat " + what, errno);
  return st.st_size;
}

// The plain file, read piece by piece to be compared with what the
// compressed one decompresses to.
class PlainSide {
 public:
  PlainSide(int fd, const std::string& what) : fd_(fd), what_(what), buffer_(kCompareChunk, '\0') {}

  // Whether the next bytes of the plain file are `data` (false for good once not).
  bool next_is(std::string_view data) {
    while (same_ && !data.empty()) {
      const std::size_t n = std::min(data.size(), buffer_.size());
      same_ = pread_full(fd_, buffer_.data(), n, offset_, what_) == n && std::memcmp(buffer_.data(), data.data(), n) == 0;
      data.remove_prefix(n);
      offset_ += static_cast<off_t>(n);
    }
    return same_;
  }

  // Whether the plain file ends where the compared bytes did.
  bool ends_here() {
    char byte;
    return same_ && pread_full(fd_, &byte, 1, offset_, what_) == 0;
  }

 private:
  int fd_;
  const std::string& what_;
  std::string buffer_;
  off_t offset_ = 0;
  bool same_ = true;
};

bool whole_gzip_is(int packed_fd, const std::string& packed_what, off_t packed_size, off_t plain_size,
                   PlainSide& plain) {
  std::string packed(static_cast<std::size_t>(packed_size), '\0');
  if (pread_full(packed_fd, packed.data(), packed.size(), 0, packed_what) != packed.size())
    fail(packed_what + " changed while it was checked");
  // One byte more than the plain file: a longer decompression shows as such.
  const auto size = static_cast<std::size_t>(plain_size);
  auto out = std::make_unique_for_overwrite<char[]>(size + 1);
  auto got = gunzip_whole(gzip_engines().front(), packed, std::span<char>(out.get(), size + 1), packed_what);
  return got == size && plain.next_is(std::string_view(out.get(), size)) && plain.ends_here();
}

}  // namespace

bool decompresses_to_plain(int packed_fd, const std::string& packed_what, int plain_fd,
                           const std::string& plain_what) {
  PlainSide plain(plain_fd, plain_what);
  char head[8];
  const std::size_t n = pread_full(packed_fd, head, sizeof head, 0, packed_what);
  const off_t packed_size = size_of(packed_fd, packed_what);
  const off_t plain_size = size_of(plain_fd, plain_what);
  if (detect_compression(std::string_view(head, n)) == Compression::gzip && packed_size <= kWholeUpTo &&
      plain_size <= kWholeUpTo)
    return whole_gzip_is(packed_fd, packed_what, packed_size, plain_size, plain);
  if (::lseek(packed_fd, 0, SEEK_SET) < 0) fail_errno("cannot read " + packed_what, errno);
  decompress_fd(packed_fd, packed_what, [&](std::string_view chunk) { plain.next_is(chunk); });
  return plain.ends_here();
}

}  // namespace ops::detail
