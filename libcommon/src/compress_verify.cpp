// Whether a compressed file holds exactly a plain file's bytes: what
// compress_in_place checks before it removes the plain file, and what
// decompresses_to answers. The decompressed bytes are compared with the plain
// file itself, read again (from the page cache, as a rule): no digest of
// either side, which cost as much as the inflate. A gzip file that fits in
// memory is inflated whole by the build's fastest engine (gunzip_whole), in
// parts on several threads when the Compressor that wrote it says where a
// decoder may start (restart points: see check_in_parts); anything else
// streams through decompress_fd.
#include "compress_codec.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <thread>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

namespace ops::detail {

namespace {

// Above this (plain or compressed bytes), the check streams instead of
// holding both files in memory.
constexpr off_t kWholeUpTo = 128 << 20;
constexpr std::size_t kCompareChunk = 1 << 20;

// The plain file, read piece by piece to be compared with what the
// compressed one decompresses to.
class PlainSide {
 public:
  PlainSide(int fd, const std::string& what, off_t from = 0)
      : fd_(fd), what_(what), buffer_(kCompareChunk, '\0'), offset_(from) {}

  // Whether the next bytes of the plain file are `data` (false for good once not).
  bool next_is(std::string_view data) {
    while (same_ && !data.empty()) {
      const std::size_t n = std::min(data.size(), buffer_.size());
      same_ = pread_full(fd_, buffer_.data(), n, offset_, what_) == n &&
              std::memcmp(buffer_.data(), data.data(), n) == 0;
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
  off_t offset_;
  bool same_ = true;
};

std::uint32_t le32(std::string_view bytes) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  return v;
}

// A piece of the member: compressed bytes [packed, packed_end) that inflate on
// their own to plain bytes [plain, plain_end).
struct Part {
  std::size_t packed, packed_end, plain, plain_end;
  bool last;
  std::uint32_t crc = 0;  // of its plain bytes, once checked
};

// Up to `threads` parts, cut at the restart points nearest equal shares of
// the plain bytes. Points that do not fit the file are not used.
std::vector<Part> cut_parts(const std::vector<Compressor::RestartPoint>& restarts, unsigned threads,
                            std::size_t packed_size, std::size_t plain_size) {
  constexpr std::size_t header = 10, trailer = 8;
  std::vector<Part> parts{{header, packed_size - trailer, 0, plain_size, true}};
  for (unsigned k = 1; k < threads; ++k) {
    const std::uint64_t want = plain_size / threads * k;
    auto off_by = [want](const Compressor::RestartPoint& r) {
      return r.plain > want ? r.plain - want : want - r.plain;
    };
    const Compressor::RestartPoint* best = nullptr;
    for (const auto& r : restarts)
      if (!best || off_by(r) < off_by(*best)) best = &r;
    Part& tail = parts.back();
    if (!best || best->packed <= tail.packed || best->packed >= tail.packed_end || best->plain <= tail.plain ||
        best->plain >= tail.plain_end)
      continue;
    Part next{static_cast<std::size_t>(best->packed), tail.packed_end, static_cast<std::size_t>(best->plain),
              tail.plain_end, true};
    tail.packed_end = next.packed;
    tail.plain_end = next.plain;
    tail.last = false;
    parts.push_back(next);
  }
  return parts;
}

// One part: inflated on its own into its place in `out`, compared with the
// plain file. A part that is not the last ends with the empty stored block
// of a sync flush; a final empty stored block is added to a copy so that it
// is a whole deflate stream. Inflating a part on its own proves it needs
// nothing before it: decoded in one go, the member gives the same bytes.
bool check_part(Part& part, std::string_view packed, char* out, int plain_fd, const std::string& plain_what,
                const std::string& packed_what) {
  std::string_view raw = packed.substr(part.packed, part.packed_end - part.packed);
  std::string whole;
  if (!part.last) {
    whole.reserve(raw.size() + 5);
    whole.append(raw).append("\x01\x00\x00\xff\xff", 5);
    raw = whole;
  }
  const std::size_t size = part.plain_end - part.plain;
  // The last part has room for one byte more: a longer member shows as such.
  auto got = inflate_whole(gzip_engines().front(), raw, std::span<char>(out + part.plain, size + (part.last ? 1 : 0)),
                           packed_what);
  if (got != size) return false;
  const std::string_view mine(out + part.plain, size);
  PlainSide plain(plain_fd, plain_what, static_cast<off_t>(part.plain));
  if (!plain.next_is(mine) || (part.last && !plain.ends_here())) return false;
  part.crc = gzip_crc32(0, mine);
  return true;
}

// The member as our gzip writer makes it (a 10-byte header without flags),
// checked in parts at once; its trailer's CRC-32 and length against the
// plain bytes. nullopt: not such a member, or no restart point to cut at.
std::optional<bool> check_in_parts(std::string_view packed, const std::vector<Compressor::RestartPoint>& restarts,
                                   unsigned threads, off_t plain_size, int plain_fd, const std::string& plain_what,
                                   const std::string& packed_what) {
  const auto size = static_cast<std::size_t>(plain_size);
  const std::string_view no_flags("\x1f\x8b\x08\x00", 4);  // gzip, deflate, no name or extra: 10 bytes
  if (threads < 2 || restarts.empty() || packed.size() < 18 || packed.substr(0, 4) != no_flags) return std::nullopt;
  std::vector<Part> parts = cut_parts(restarts, threads, packed.size(), size);
  if (parts.size() < 2) return std::nullopt;
  auto out = std::make_unique_for_overwrite<char[]>(size + 1);
  std::vector<char> same(parts.size(), 0);
  std::vector<std::exception_ptr> errors(parts.size());
  auto run = [&](std::size_t i) {
    try {
      same[i] = check_part(parts[i], packed, out.get(), plain_fd, plain_what, packed_what);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (std::size_t i = 1; i < parts.size(); ++i) helpers.emplace_back(run, i);
    run(0);
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  std::uint32_t crc = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!same[i]) return false;
    crc = gzip_crc32_combine(crc, parts[i].crc, parts[i].plain_end - parts[i].plain);
  }
  const std::string_view trailer = packed.substr(packed.size() - 8);
  return le32(trailer) == crc && le32(trailer.substr(4)) == static_cast<std::uint32_t>(size);
}

bool whole_gzip_is(int packed_fd, const std::string& packed_what, off_t packed_size, int plain_fd,
                   const std::string& plain_what, off_t plain_size,
                   const std::vector<Compressor::RestartPoint>& restarts, unsigned threads) {
  std::string packed(static_cast<std::size_t>(packed_size), '\0');
  if (pread_full(packed_fd, packed.data(), packed.size(), 0, packed_what) != packed.size())
    fail(packed_what + " changed while it was checked");
  if (auto in_parts = check_in_parts(packed, restarts, threads, plain_size, plain_fd, plain_what, packed_what))
    return *in_parts;
  // One byte more than the plain file: a longer decompression shows as such.
  const auto size = static_cast<std::size_t>(plain_size);
  auto out = std::make_unique_for_overwrite<char[]>(size + 1);
  auto got = gunzip_whole(gzip_engines().front(), packed, std::span<char>(out.get(), size + 1), packed_what);
  PlainSide plain(plain_fd, plain_what);
  return got == size && plain.next_is(std::string_view(out.get(), size)) && plain.ends_here();
}

}  // namespace

bool decompresses_to_plain(int packed_fd, const std::string& packed_what, int plain_fd, const std::string& plain_what,
                           const std::vector<Compressor::RestartPoint>& restarts, unsigned threads) {
  char head[8];
  const std::size_t n = pread_full(packed_fd, head, sizeof head, 0, packed_what);
  const off_t packed_size = file_size(packed_fd, packed_what);
  const off_t plain_size = file_size(plain_fd, plain_what);
  if (detect_compression(std::string_view(head, n)) == Compression::gzip && packed_size <= kWholeUpTo &&
      plain_size <= kWholeUpTo)
    return whole_gzip_is(packed_fd, packed_what, packed_size, plain_fd, plain_what, plain_size, restarts, threads);
  if (::lseek(packed_fd, 0, SEEK_SET) < 0) fail_errno("cannot read " + packed_what, errno);
  PlainSide plain(plain_fd, plain_what);
  decompress_fd(packed_fd, packed_what, [&](std::string_view chunk) { plain.next_is(chunk); });
  return plain.ends_here();
}

}  // namespace ops::detail
