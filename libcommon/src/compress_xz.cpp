// xz both ways through liblzma: the multi-threaded stream encoder (CRC64
// check, the preset as level) and the stream decoder that also reads
// concatenated .xz streams, like `xz -d`.
#include "compress_codec.hpp"

#include <ops/error.hpp>

#include <cstdint>
#include <lzma.h>

namespace ops::detail {

namespace {

constexpr std::size_t buffer_size = 128 * 1024;

// liblzma has no message strings; these are xz's own words.
std::string_view lzma_message(lzma_ret rc) {
  switch (rc) {
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_MEMLIMIT_ERROR: return "memory usage limit reached";
    case LZMA_FORMAT_ERROR: return "file format not recognized";
    case LZMA_OPTIONS_ERROR: return "unsupported options";
    case LZMA_DATA_ERROR: return "compressed data is corrupt";
    case LZMA_BUF_ERROR: return "unexpected end of input";
    case LZMA_UNSUPPORTED_CHECK: return "unsupported type of integrity check";
    default: return "internal error (bug)";
  }
}

// An lzma_stream that is always ended. Not movable: the coder may keep
// pointers into it.
struct LzmaStream {
  lzma_stream s = LZMA_STREAM_INIT;
  LzmaStream() = default;
  ~LzmaStream() { lzma_end(&s); }
  LzmaStream(const LzmaStream&) = delete;
  LzmaStream& operator=(const LzmaStream&) = delete;
};

[[noreturn]] void fail_compress(lzma_ret rc) { fail("xz compression failed: " + std::string(lzma_message(rc))); }

class XzEncoder final : public Encoder {
 public:
  XzEncoder(int level, unsigned threads, ByteSink sink) : sink_(std::move(sink)), out_(buffer_size, '\0') {
    lzma_mt mt{};
    mt.threads = threads;
    mt.preset = static_cast<std::uint32_t>(level);
    mt.check = LZMA_CHECK_CRC64;
    lzma_ret rc = lzma_stream_encoder_mt(&stream_.s, &mt);
    if (rc != LZMA_OK) fail_compress(rc);
  }

  void write(std::string_view data) override {
    stream_.s.next_in = reinterpret_cast<const std::uint8_t*>(data.data());
    stream_.s.avail_in = data.size();
    while (stream_.s.avail_in != 0) step(LZMA_RUN);
  }

  void finish() override {
    while (step(LZMA_FINISH) != LZMA_STREAM_END) {
    }
  }

 private:
  lzma_ret step(lzma_action action) {
    stream_.s.next_out = reinterpret_cast<std::uint8_t*>(out_.data());
    stream_.s.avail_out = out_.size();
    lzma_ret rc = lzma_code(&stream_.s, action);
    if (rc != LZMA_OK && rc != LZMA_STREAM_END) fail_compress(rc);
    std::size_t produced = out_.size() - stream_.s.avail_out;
    if (produced != 0) sink_(std::string_view(out_.data(), produced));
    return rc;
  }

  ByteSink sink_;
  LzmaStream stream_;
  std::string out_;
};

}  // namespace

std::unique_ptr<Encoder> make_xz_encoder(int level, unsigned threads, ByteSink sink) {
  return std::make_unique<XzEncoder>(level, threads, std::move(sink));
}

std::uint64_t decode_xz(const ChunkSource& next, const std::string& what, const ByteSink& sink) {
  LzmaStream stream;
  lzma_stream& s = stream.s;
  lzma_ret rc = lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED);
  if (rc != LZMA_OK) fail(what + ": xz decompression failed: " + std::string(lzma_message(rc)));
  std::string buffer(buffer_size, '\0');
  std::uint64_t total = 0;
  lzma_action action = LZMA_RUN;
  for (;;) {
    if (s.avail_in == 0 && action == LZMA_RUN) {
      std::string_view chunk = next();
      if (chunk.empty()) action = LZMA_FINISH;
      s.next_in = reinterpret_cast<const std::uint8_t*>(chunk.data());
      s.avail_in = chunk.size();
    }
    s.next_out = reinterpret_cast<std::uint8_t*>(buffer.data());
    s.avail_out = buffer.size();
    rc = lzma_code(&s, action);
    std::size_t produced = buffer.size() - s.avail_out;
    if (produced != 0) sink(std::string_view(buffer.data(), produced));
    total += produced;
    if (rc == LZMA_STREAM_END) return total;
    if (rc == LZMA_BUF_ERROR) fail_truncated(what);
    if (rc != LZMA_OK) fail_corrupt(what, "xz", lzma_message(rc));
  }
}

}  // namespace ops::detail
