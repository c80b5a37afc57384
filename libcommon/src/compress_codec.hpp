#pragma once
// What the Compressor front and decompress_fd share with the format files
// (compress_gzip*.cpp, compress_zstd.cpp, compress_xz.cpp, decompress_gzip.cpp):
// one encoder interface and one decoder signature, so each library is wrapped
// in one place. Internal to libcommon.

#include <ops/compress.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ops::detail {

// A streaming compressor of one format; the Compressor front validates the
// options and counts the bytes.
class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual void write(std::string_view data) = 0;
  virtual void finish() = 0;
  // Compressor::restart_points: empty unless the format and engine have them.
  virtual std::vector<Compressor::RestartPoint> restart_points() const { return {}; }
};

// The deflate library under the gzip writer. Every build has zlib; libdeflate
// (faster for the same size) where it was built with OPS_FAST_GZIP.
enum class GzipEngine { zlib, libdeflate };
// The engines of this build, the one Compressor uses first. The tests run
// each; both write one standard gzip member, not the same bytes.
std::span<const GzipEngine> gzip_engines() noexcept;
std::string_view gzip_engine_name(GzipEngine engine) noexcept;

std::unique_ptr<Encoder> make_gzip_encoder(int level, unsigned threads, ByteSink sink);  // gzip_engines().front()
// Decodes all the gzip members held whole in `packed` into `out`: how many
// bytes they decode to, or nullopt when that is more than out.size() (what
// fits is in `out`). Truncated or corrupt data throws like decode_gzip. The
// engine's inflate (libdeflate's is about three times zlib's): what checks a
// file just compressed, when it fits in memory (compress_verify.cpp).
std::optional<std::size_t> gunzip_whole(GzipEngine engine, std::string_view packed, std::span<char> out,
                                        const std::string& what);
// The same for one raw deflate stream that ends with its final block at the
// end of `raw` (bytes after it throw): a part of a gzip member cut at a
// restart point, checked on its own (compress_verify.cpp).
std::optional<std::size_t> inflate_whole(GzipEngine engine, std::string_view raw, std::span<char> out,
                                         const std::string& what);
// CRC-32 as gzip's trailer has it, continued from `crc` (libdeflate's where
// the build has it: several times zlib's).
std::uint32_t gzip_crc32(std::uint32_t crc, std::string_view data) noexcept;
// The CRC-32 of A then B, from A's, B's and B's length (zlib's crc32_combine).
std::uint32_t gzip_crc32_combine(std::uint32_t a, std::uint32_t b, std::uint64_t b_size) noexcept;
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

// Whether packed_fd's data (compressed, or plain if in no format we know)
// decompresses to exactly plain_fd's bytes, both read from their start;
// corrupt or truncated data throws (compress_verify.cpp). With the restart
// points of the Compressor that wrote it, a gzip file is checked in parts on
// up to `threads` threads.
bool decompresses_to_plain(int packed_fd, const std::string& packed_what, int plain_fd, const std::string& plain_what,
                           const std::vector<Compressor::RestartPoint>& restarts = {}, unsigned threads = 1);

// The one wording of a truncated stream, whatever the format.
[[noreturn]] void fail_truncated(const std::string& what);
// "<what>: corrupt <format> data: <the library's message>".
[[noreturn]] void fail_corrupt(const std::string& what, std::string_view format, std::string_view problem);

}  // namespace ops::detail
