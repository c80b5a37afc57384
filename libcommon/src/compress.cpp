#include "compress_codec.hpp"
#include <ops/text.hpp>

#include <ops/compress.hpp>
#include <ops/error.hpp>

#include <fmt/format.h>
#include <stdexcept>
#include <thread>

namespace ops {

namespace {

// Compression::none: the plain bytes, as they come.
class PassEncoder final : public detail::Encoder {
 public:
  explicit PassEncoder(ByteSink sink) : sink_(std::move(sink)) {}
  void write(std::string_view data) override {
    if (!data.empty()) sink_(data);
  }
  void finish() override {}

 private:
  ByteSink sink_;
};

std::unique_ptr<detail::Encoder> make_encoder(Compression format, int level, unsigned threads, ByteSink sink) {
  switch (format) {
    case Compression::gzip: return detail::make_gzip_encoder(level, threads, std::move(sink));
    case Compression::zstd: return detail::make_zstd_encoder(level, threads, std::move(sink));
    case Compression::xz: return detail::make_xz_encoder(level, threads, std::move(sink));
    case Compression::none: break;
  }
  return std::make_unique<PassEncoder>(std::move(sink));
}

}  // namespace

Compression parse_compression(std::string_view name) {
  if (name == "gzip" || name == "gz") return Compression::gzip;
  if (name == "zstd" || name == "zst") return Compression::zstd;
  if (name == "xz") return Compression::xz;
  if (name == "none") return Compression::none;
  fail_usage(fmt::format("unknown compression '{}': expected gzip, zstd, xz or none", shown(name)));
}

std::string_view compression_name(Compression c) noexcept {
  switch (c) {
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
    case Compression::xz: return "xz";
    case Compression::none: break;
  }
  return "none";
}

std::string_view compression_suffix(Compression c) noexcept {
  switch (c) {
    case Compression::gzip: return ".gz";
    case Compression::zstd: return ".zst";
    case Compression::xz: return ".xz";
    case Compression::none: break;
  }
  return "";
}

int default_level(Compression c) noexcept {
  switch (c) {
    case Compression::gzip: return 6;
    case Compression::zstd: return 3;
    case Compression::xz: return 6;
    case Compression::none: break;
  }
  return 0;
}

std::pair<int, int> level_range(Compression c) noexcept {
  switch (c) {
    case Compression::gzip: return {1, 9};
    case Compression::zstd: return {1, 19};
    case Compression::xz: return {0, 9};
    case Compression::none: break;
  }
  return {0, 0};
}

int resolve_level(Compression c, int level) {
  if (level == -1) return default_level(c);
  auto [low, high] = level_range(c);
  if (level < low || level > high) {
    std::string range = low == high ? fmt::format("only {}", low) : fmt::format("{}-{}", low, high);
    fail_usage(fmt::format("compression level {} is out of range for {} ({})", level, compression_name(c), range));
  }
  return level;
}

std::optional<Compression> detect_compression(std::string_view head) noexcept {
  using namespace std::string_view_literals;
  if (head.starts_with("\x1f\x8b"sv)) return Compression::gzip;
  if (head.starts_with("\x28\xb5\x2f\xfd"sv)) return Compression::zstd;
  if (head.starts_with("\xfd\x37\x7a\x58\x5a\x00"sv)) return Compression::xz;
  return std::nullopt;
}

struct Compressor::Impl {
  ByteSink sink;
  std::uint64_t in = 0;
  std::uint64_t out = 0;
  std::unique_ptr<detail::Encoder> encoder;
  std::vector<RestartPoint> restarts;  // filled by finish()
  bool finished = false;
  // Set when write() or finish() threw: the stream has a hole, so it cannot go on.
  bool broken = false;

  void check_usable() const {
    if (broken) throw std::logic_error("Compressor used after an error");
    if (finished) throw std::logic_error("Compressor used after finish()");
  }
};

Compressor::Compressor(const CompressOptions& options, ByteSink sink) : impl_(std::make_unique<Impl>()) {
  int level = resolve_level(options.format, options.level);
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  impl_->sink = std::move(sink);
  Impl* impl = impl_.get();
  impl_->encoder = make_encoder(options.format, level, threads, [impl](std::string_view bytes) {
    impl->sink(bytes);
    impl->out += bytes.size();
  });
}

// Out of line, where Impl and the encoders are complete; an encoder's
// destructor stops its threads before anything they use goes away.
Compressor::~Compressor() = default;

void Compressor::write(std::string_view data) {
  impl_->check_usable();
  impl_->broken = true;
  impl_->encoder->write(data);
  impl_->in += data.size();
  impl_->broken = false;
}

void Compressor::finish() {
  impl_->check_usable();
  impl_->broken = true;
  impl_->encoder->finish();
  impl_->restarts = impl_->encoder->restart_points();
  impl_->broken = false;
  impl_->finished = true;
}

std::uint64_t Compressor::bytes_in() const noexcept { return impl_->in; }

std::uint64_t Compressor::bytes_out() const noexcept { return impl_->out; }

const std::vector<Compressor::RestartPoint>& Compressor::restart_points() const noexcept { return impl_->restarts; }

}  // namespace ops
