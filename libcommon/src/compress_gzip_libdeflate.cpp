// The gzip writer's blocks deflated by libdeflate, which at the levels we use
// is about twice as fast as zlib for the same size. libdeflate 1.14 (Debian
// 12) only compresses a whole buffer into a complete deflate stream: no
// dictionary, and its last block always carries the final-block bit, so its
// streams cannot simply be laid end to end (that would be one gzip member
// per block, which readers that stop after the first member cut short).
// Each block's stream is therefore scanned once (deflate_scan.cpp: its codes
// are followed, its output not made) to find where its final block starts and
// where it ends: the final-block bit is cleared and an empty stored block
// brings the end to a byte boundary, exactly what a sync flush writes (the
// technique of zlib's examples/gzjoin.c, which learns the same by inflating).
// Blocks are 1 MiB and unprimed (no dictionary): that costs 0.5 % of size
// against 1.5 % for 128 KiB.
#include "compress_gzip_block.hpp"
#include "deflate_scan.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>
#include <libdeflate.h>
#include <string>

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
  }
  ~LibdeflateDeflater() override { libdeflate_free_compressor(compressor_); }
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
    DeflateEnd found;
    try {
      found = find_final_block(out);
    } catch (const Error& e) {
      fail_gzip(fmt::format("libdeflate's output: {}", e.what()));
    }
    const auto [last_header, end] = found;
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    bytes[last_header / 8] &= static_cast<unsigned char>(~(1u << (last_header % 8)));
    std::size_t used = end % 8;  // bits of the last byte in use; 0: all of it
    if (used != 0) bytes[out.size() - 1] &= static_cast<unsigned char>((1u << used) - 1);  // the padding, zero
    // The stored block's 3 header bits (all 0) fit in the padding if it has 3.
    if (used == 0 || used > 5) out.push_back('\0');
    out.append("\0\0\xff\xff", 4);  // LEN 0, NLEN ~0, after the header is padded to a byte
  }

  libdeflate_compressor* compressor_;
};

}  // namespace

std::unique_ptr<BlockDeflater> make_libdeflate_block_deflater(int level) {
  return std::make_unique<LibdeflateDeflater>(level);
}

}  // namespace ops::detail
