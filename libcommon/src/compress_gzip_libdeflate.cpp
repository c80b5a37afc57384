// The gzip writer's blocks deflated by libdeflate, which at the levels we use
// is about twice as fast as zlib for the same size. libdeflate 1.14 (Debian
// 12) only compresses a whole buffer into a complete deflate stream: no
// dictionary, and its last block always carries the final-block bit, so its
// streams cannot simply be laid end to end (that would be one gzip member
// per block, which readers that stop after the first member cut short).
// Each block's stream is therefore walked once with zlib's inflate(Z_BLOCK),
// which stops at every block boundary and says at which bit it is (the
// technique of zlib's examples/gzjoin.c): the final-block bit of the last
// deflate block is cleared and an empty stored block brings the end to a
// byte boundary, exactly what a sync flush writes. The walk costs about a
// seventh of the compression time; it also proves that libdeflate's output
// inflates. Blocks are 1 MiB and unprimed (no dictionary): that costs 0.5 %
// of size against 1.5 % for 128 KiB.
#include "compress_gzip_block.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>
#include <libdeflate.h>
#include <string>
#include <zlib.h>

namespace ops::detail {

int libdeflate_level(int gzip_level) noexcept {
  // Chosen on the benchmark inputs (scripts/bench/COMPRESSION.md): each level
  // at most the size of gzip's same level (+3 % at most), and faster.
  static constexpr int map[10] = {0, 1, 2, 3, 4, 5, 5, 6, 7, 8};
  return map[gzip_level < 1 ? 1 : gzip_level > 9 ? 9 : gzip_level];
}

namespace {

[[noreturn]] void fail_gzip(std::string_view problem) { fail(fmt::format("gzip compression failed: {}", problem)); }

class LibdeflateDeflater final : public BlockDeflater {
 public:
  explicit LibdeflateDeflater(int level) : compressor_(libdeflate_alloc_compressor(libdeflate_level(level))) {
    if (compressor_ == nullptr) fail_gzip("libdeflate: out of memory");
    int rc = inflateInit2(&walker_, -15);
    if (rc != Z_OK) {
      libdeflate_free_compressor(compressor_);
      fail_gzip(zError(rc));
    }
    scratch_.resize(libdeflate_block_traits.block_size);
  }
  ~LibdeflateDeflater() override {
    inflateEnd(&walker_);
    libdeflate_free_compressor(compressor_);
  }
  LibdeflateDeflater(const LibdeflateDeflater&) = delete;
  LibdeflateDeflater& operator=(const LibdeflateDeflater&) = delete;

  void deflate(GzipBlock& block) override {
    block.crc = libdeflate_crc32(0, block.in.data(), block.in.size());
    block.out.resize(libdeflate_deflate_compress_bound(compressor_, block.in.size()));
    std::size_t n = libdeflate_deflate_compress(compressor_, block.in.data(), block.in.size(), block.out.data(),
                                                block.out.size());
    if (n == 0) fail_gzip("libdeflate: output larger than its bound");
    block.out.resize(n);
    if (!block.last) continue_stream(block.out);
  }

 private:
  // Turns a complete deflate stream into one that the next block continues:
  // clears the final-block bit and ends with an empty stored block.
  void continue_stream(std::string& out) {
    auto [last_header, end] = walk(out);
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    bytes[last_header / 8] &= static_cast<unsigned char>(~(1u << (last_header % 8)));
    std::size_t used = end % 8;  // bits of the last byte in use; 0: all of it
    if (used != 0) bytes[out.size() - 1] &= static_cast<unsigned char>((1u << used) - 1);  // the padding, zero
    // The stored block's 3 header bits (all 0) fit in the padding if it has 3.
    if (used == 0 || used > 5) out.push_back('\0');
    out.append("\0\0\xff\xff", 4);  // LEN 0, NLEN ~0, after the header is padded to a byte
  }

  // The bit at which the last deflate block's header starts, and the bit just
  // after the stream's end.
  std::pair<std::size_t, std::size_t> walk(std::string& out) {
    if (inflateReset(&walker_) != Z_OK) fail_gzip("zlib: cannot reset inflate");
    walker_.next_in = reinterpret_cast<Bytef*>(out.data());
    walker_.avail_in = static_cast<uInt>(out.size());
    auto bit = [&] { return (out.size() - walker_.avail_in) * 8 - (walker_.data_type & 7); };
    std::size_t last_header = 0;
    std::size_t end = 0;  // 0: the end of the last block was not seen
    for (;;) {
      walker_.next_out = reinterpret_cast<Bytef*>(scratch_.data());
      walker_.avail_out = static_cast<uInt>(scratch_.size());
      int rc = inflate(&walker_, Z_BLOCK);
      if (rc == Z_STREAM_END) break;
      if (rc != Z_OK && !(rc == Z_BUF_ERROR && walker_.avail_out == 0))
        fail_gzip(fmt::format("libdeflate's output does not inflate ({})", walker_.msg ? walker_.msg : zError(rc)));
      // At a block boundary (128): before the next block's header, or after
      // the last block (64), where the unused bits are still counted; the
      // Z_STREAM_END that follows no longer counts them.
      if ((walker_.data_type & 128) != 0) ((walker_.data_type & 64) != 0 ? end : last_header) = bit();
    }
    if (walker_.avail_in != 0) fail_gzip("libdeflate's output has bytes after its end");
    if (end == 0) fail_gzip("zlib did not stop at the end of libdeflate's last block");
    const auto* bytes = reinterpret_cast<const unsigned char*>(out.data());
    if ((bytes[last_header / 8] >> (last_header % 8) & 1) == 0) fail_gzip("libdeflate's last block is not final");
    return {last_header, end};
  }

  libdeflate_compressor* compressor_;
  z_stream walker_{};
  std::string scratch_;  // where the walk's inflated bytes go, unread
};

}  // namespace

std::unique_ptr<BlockDeflater> make_libdeflate_block_deflater(int level) {
  return std::make_unique<LibdeflateDeflater>(level);
}

}  // namespace ops::detail
