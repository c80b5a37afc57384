#pragma once
// What the parallel gzip writer (compress_gzip.cpp) asks of a deflate library:
// raw-deflate one block so that the blocks, written one after the other, make
// one deflate stream — every block but the last ends on a byte boundary with
// no final-block bit, the last one ends the stream. Each library (zlib,
// libdeflate) is wrapped once, in its own file. Internal to libcommon.

#include "compress_codec.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace ops::detail {

struct GzipBlock {
  std::string in;
  // The previous block's last 32 KiB, for an engine that primes with it
  // (GzipEngineTraits::primed); empty for the first block.
  std::string dictionary;
  std::string out;
  std::uint32_t crc = 0;  // CRC-32 of `in`
  bool last = false;
};

// One deflater per worker thread, reused for its blocks.
class BlockDeflater {
 public:
  virtual ~BlockDeflater() = default;
  // Fills block.out and block.crc; throws ops::Error on a library failure.
  virtual void deflate(GzipBlock& block) = 0;
};

struct GzipEngineTraits {
  std::size_t block_size;  // plain bytes a block holds (the last may hold fewer)
  bool primed;             // whether blocks carry a dictionary
};

std::unique_ptr<BlockDeflater> make_zlib_block_deflater(int level);
inline constexpr GzipEngineTraits zlib_block_traits{128 * 1024, true};

// The engine's block size and deflater (compress_gzip_engine.cpp).
GzipEngineTraits gzip_engine_traits(GzipEngine engine) noexcept;
std::unique_ptr<BlockDeflater> make_block_deflater(GzipEngine engine, int level);

// gunzip_whole (compress_codec.hpp) by each engine's inflate.
std::optional<std::size_t> gunzip_whole_zlib(std::string_view packed, std::span<char> out, const std::string& what);
std::optional<std::size_t> inflate_whole_zlib(std::string_view raw, std::span<char> out, const std::string& what);

#if OPS_FAST_GZIP
std::optional<std::size_t> gunzip_whole_libdeflate(std::string_view packed, std::span<char> out,
                                                   const std::string& what);
std::optional<std::size_t> inflate_whole_libdeflate(std::string_view raw, std::span<char> out,
                                                    const std::string& what);
std::uint32_t crc32_libdeflate(std::uint32_t crc, std::string_view data) noexcept;
std::unique_ptr<BlockDeflater> make_libdeflate_block_deflater(int level);
// libdeflate takes no dictionary: larger blocks keep the ratio instead.
inline constexpr GzipEngineTraits libdeflate_block_traits{1024 * 1024, false};
// The libdeflate level used for a gzip level (1-9), with what it gives on
// the benchmark inputs: scripts/bench/COMPRESSION.md.
int libdeflate_level(int gzip_level) noexcept;
#endif

}  // namespace ops::detail
