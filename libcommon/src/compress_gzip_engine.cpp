// Which deflate libraries this build has (the only place that asks
// OPS_FAST_GZIP), so that the gzip writer and the tests of both engines
// need no conditional code.
#include "compress_codec.hpp"
#include "compress_gzip_block.hpp"

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

}  // namespace ops::detail
