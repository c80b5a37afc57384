#pragma once
// What the Compressor front and decompress_fd share with the format files
// (compress_gzip*.cpp, compress_zstd.cpp, compress_xz.cpp, decompress_gzip.cpp):
// one encoder interface and one decoder signature, so each library is wrapped
// in one place. Internal to libcommon.

#include <ops/compress.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ops::detail {

// A streaming compressor of one format; the Compressor front validates the
// options and counts the bytes.
class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual void write(std::string_view data) = 0;
  virtual void finish() = 0;
};

// The deflate library under the gzip writer. Every build has zlib; libdeflate
// (faster for the same size) where it was built with OPS_FAST_GZIP.
enum class GzipEngine { zlib, libdeflate };
// The engines of this build, the one Compressor uses first. The tests run
// each; both write one standard gzip member, not the same bytes.
std::span<const GzipEngine> gzip_engines() noexcept;
std::string_view gzip_engine_name(GzipEngine engine) noexcept;

std::unique_ptr<Encoder> make_gzip_encoder(int level, unsigned threads, ByteSink sink);  // gzip_engines().front()
std::unique_ptr<Encoder> make_gzip_encoder(int level, unsigned threads, ByteSink sink, GzipEngine engine);
std::unique_ptr<Encoder> make_zstd_encoder(int level, unsigned threads, ByteSink sink);
std::unique_ptr<Encoder> make_xz_encoder(int level, unsigned threads, ByteSink sink);

// The next chunk of compressed input; empty at the end. The view stays valid
// until the next call.
using ChunkSource = std::function<std::string_view()>;

// Each decoder reads its whole stream (all members or frames) and returns the
// plain bytes given to the sink. Truncated or corrupt input throws ops::Error
// (critical) "<what>: <problem>".
std::uint64_t decode_gzip(const ChunkSource& next, const std::string& what, const ByteSink& sink);
std::uint64_t decode_zstd(const ChunkSource& next, const std::string& what, const ByteSink& sink);
std::uint64_t decode_xz(const ChunkSource& next, const std::string& what, const ByteSink& sink);

// The one wording of a truncated stream, whatever the format.
[[noreturn]] void fail_truncated(const std::string& what);
// "<what>: corrupt <format> data: <the library's message>".
[[noreturn]] void fail_corrupt(const std::string& what, std::string_view format, std::string_view problem);

}  // namespace ops::detail
