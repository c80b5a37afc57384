// Which deflate libraries this build has (the only place that asks
// OPS_FAST_GZIP), so that the gzip writer and the tests of both engines
// need no conditional code.
#include "compress_codec.hpp"
#include "compress_gzip_block.hpp"

#include <algorithm>
#include <zlib.h>

namespace ops::detail {

std::span<const GzipEngine> gzip_engines() noexcept {
#if OPS_FAST_GZIP
  static constexpr GzipEngine engines[] = {GzipEngine::libdeflate, GzipEngine::zlib};
#else
  static constexpr GzipEngine engines[] = {GzipEngine::zlib};
#endif
  return engines;
}

std::string_view gzip_engine_name(GzipEngine engine) noexcept {
  return engine == GzipEngine::libdeflate ? "libdeflate" : "zlib";
}

GzipEngineTraits gzip_engine_traits(GzipEngine engine) noexcept {
#if OPS_FAST_GZIP
  if (engine == GzipEngine::libdeflate) return libdeflate_block_traits;
#endif
  (void)engine;
  return zlib_block_traits;
}

std::unique_ptr<BlockDeflater> make_block_deflater(GzipEngine engine, int level) {
#if OPS_FAST_GZIP
  if (engine == GzipEngine::libdeflate) return make_libdeflate_block_deflater(level);
#endif
  (void)engine;
  return make_zlib_block_deflater(level);
}

std::optional<std::size_t> gunzip_whole(GzipEngine engine, std::string_view packed, std::span<char> out,
                                        const std::string& what) {
#if OPS_FAST_GZIP
  if (engine == GzipEngine::libdeflate) return gunzip_whole_libdeflate(packed, out, what);
#endif
  (void)engine;
  return gunzip_whole_zlib(packed, out, what);
}

std::optional<std::size_t> inflate_whole(GzipEngine engine, std::string_view raw, std::span<char> out,
                                         const std::string& what) {
#if OPS_FAST_GZIP
  if (engine == GzipEngine::libdeflate) return inflate_whole_libdeflate(raw, out, what);
#endif
  (void)engine;
  return inflate_whole_zlib(raw, out, what);
}

std::uint32_t gzip_crc32(std::uint32_t crc, std::string_view data) noexcept {
#if OPS_FAST_GZIP
  return crc32_libdeflate(crc, data);
#else
  // zlib's length is a uInt: a view of 4 GiB or more goes in pieces.
  while (!data.empty()) {
    const std::size_t n = std::min<std::size_t>(data.size(), 1u << 30);
    crc = static_cast<std::uint32_t>(::crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n)));
    data.remove_prefix(n);
  }
  return crc;
#endif
}

std::uint32_t gzip_crc32_combine(std::uint32_t a, std::uint32_t b, std::uint64_t b_size) noexcept {
  return static_cast<std::uint32_t>(crc32_combine(a, b, static_cast<z_off_t>(b_size)));
}

}  // namespace ops::detail
