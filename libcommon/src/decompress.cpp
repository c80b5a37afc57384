// decompress_fd: reads the fd in chunks, tells the format from the first bytes
// (unless the caller knows it) and hands the chunks to that format's decoder.
#include "compress_codec.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <cerrno>
#include <unistd.h>

namespace ops {

namespace detail {

void fail_truncated(const std::string& what) { fail(what + ": unexpected end of compressed data"); }

void fail_corrupt(const std::string& what, std::string_view format, std::string_view problem) {
  fail(what + ": corrupt " + std::string(format) + " data: " + std::string(problem));
}

}  // namespace detail

namespace {

constexpr std::size_t chunk_size = 1024 * 1024;
// The longest magic number (xz's) that detect_compression looks at.
constexpr std::size_t magic_size = 6;

// Chunks of an fd, the first one held back until the format is known.
class FdChunks {
 public:
  FdChunks(int fd, const std::string& what) : fd_(fd), what_(what), buffer_(chunk_size, '\0') {
    // A pipe may give a few bytes at a time: read until the magic is complete.
    while (filled_ < magic_size && !eof_) filled_ += read_some(filled_);
    held_back_ = true;
  }

  std::string_view head() const noexcept { return {buffer_.data(), filled_}; }

  std::string_view next() {
    if (held_back_) {
      held_back_ = false;
      return head();
    }
    filled_ = eof_ ? 0 : read_some(0);
    return head();
  }

 private:
  std::size_t read_some(std::size_t at) {
    const std::size_t n = ops::read_some(fd_, buffer_.data() + at, buffer_.size() - at, what_);
    if (n == 0) eof_ = true;
    return n;
  }

  int fd_;
  const std::string& what_;
  std::string buffer_;
  std::size_t filled_ = 0;
  bool eof_ = false;
  bool held_back_ = false;
};

}  // namespace

std::uint64_t decompress_fd(int fd, const std::string& what, const ByteSink& sink, std::optional<Compression> format) {
  FdChunks chunks(fd, what);
  Compression c = format.value_or(detect_compression(chunks.head()).value_or(Compression::none));
  detail::ChunkSource next = [&chunks] { return chunks.next(); };
  switch (c) {
    case Compression::gzip: return detail::decode_gzip(next, what, sink);
    case Compression::zstd: return detail::decode_zstd(next, what, sink);
    case Compression::xz: return detail::decode_xz(next, what, sink);
    case Compression::none: break;
  }
  std::uint64_t total = 0;
  for (std::string_view chunk = next(); !chunk.empty(); chunk = next()) {
    sink(chunk);
    total += chunk.size();
  }
  return total;
}

}  // namespace ops
