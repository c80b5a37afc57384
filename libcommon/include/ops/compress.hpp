#pragma once
// Streaming compression for backups and rotated logs: gzip (so `zcat x.gz |
// mysql db` keeps working), zstd, xz, or none. Compression uses several
// threads, because a single-threaded gzip is what makes `mysqldump | gzip`
// slow: gzip is compressed pigz-style (blocks deflated at once, by libdeflate
// without a dictionary or by zlib primed with the previous block's last
// 32 KiB, joined into one standard gzip member, readable by any gunzip),
// zstd and xz with their libraries' own worker threads.
// Decompression reads every format, also concatenated gzip members.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ops {

enum class Compression { none, gzip, zstd, xz };

// "none", "gzip", "zstd", "xz" (also "gz", "zst"); anything else is an exit-3
// error naming the value and listing the choices.
Compression parse_compression(std::string_view name);
std::string_view compression_name(Compression c) noexcept;   // "gzip"
std::string_view compression_suffix(Compression c) noexcept; // ".gz", ".zst", ".xz", ""
// The default level of each format (gzip 6, zstd 3, xz 6) and the valid range.
int default_level(Compression c) noexcept;
std::pair<int, int> level_range(Compression c) noexcept;
// The level to use: `level`, or the default for -1. Out of range is an exit-3
// error ("compression level 12 is out of range for gzip (1-9)"), so a tool can
// refuse a bad level before it starts anything; Compressor checks it too.
int resolve_level(Compression c, int level);
// From the first bytes of a file (magic numbers); nullopt = not compressed /
// unknown.
std::optional<Compression> detect_compression(std::string_view head) noexcept;

// Where compressed (or decompressed) bytes go. May throw; the exception
// propagates out of write()/finish().
using ByteSink = std::function<void(std::string_view)>;

struct CompressOptions {
  Compression format = Compression::gzip;
  int level = -1;        // -1: default_level(format); out of range is exit 3
  unsigned threads = 0;  // 0: one per CPU (std::thread::hardware_concurrency)
};

// Feed plain data with write(), then finish(); compressed bytes go to the sink
// in order. Not thread-safe itself (one producer). A Compressor destroyed
// without finish() discards what it had (the caller removes the partial file).
class Compressor {
 public:
  Compressor(const CompressOptions& options, ByteSink sink);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  void write(std::string_view data);
  void finish();  // flushes everything and writes the trailer

  std::uint64_t bytes_in() const noexcept;   // plain bytes consumed so far
  std::uint64_t bytes_out() const noexcept;  // compressed bytes given to the sink

  // Where the output can be decoded from without what came before it, as
  // offsets into the compressed and the plain bytes, after finish(): the
  // gzip blocks that take no dictionary (the libdeflate engine's). Empty for
  // other formats and engines. compress_in_place checks its output in parts
  // from them, one per core.
  struct RestartPoint {
    std::uint64_t packed = 0;
    std::uint64_t plain = 0;
  };
  const std::vector<RestartPoint>& restart_points() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decompresses a whole stream read from fd (format detected from its magic
// unless given) into the sink. Corrupt or truncated input is an ops::Error
// (critical) naming `what` (usually the file) and the problem:
// "backup.sql.gz: unexpected end of compressed data".
// Returns the number of plain bytes produced.
std::uint64_t decompress_fd(int fd, const std::string& what, const ByteSink& sink,
                            std::optional<Compression> format = std::nullopt);

// --- one file, compressed in place ------------------------------------------
// NAME becomes NAME.gz so that a crash at any moment leaves NAME, or NAME and a
// complete NAME.gz (which decompresses_to tells apart from another file of
// that name), never a loss and never a partial NAME.gz under its final name:
// the compressed copy is written to a temporary, checked by decompressing it
// (when its format is one decompress_fd reads), given NAME's mode, owner (as
// far as we may: without root only the group, if we are in it), access ACL
// and times, published without replacing anything, and only then is NAME
// removed — if it is still the file that was compressed.

class Dir;  // ops/dir.hpp

// Whether packed_fd's compressed data decompresses to exactly plain_fd's bytes
// (both read from their start). Corrupt, truncated or unknown data: false.
bool decompresses_to(int packed_fd, const std::string& packed_what, int plain_fd, const std::string& plain_what);

struct InPlaceOptions {
  CompressOptions compress;  // in process (files under 8 MiB use one thread), unless
  // program is set: it writes the compressed form of plain_fd (read from its
  // start) to packed_fd, e.g. through an external compressor; throws on failure.
  std::function<void(int plain_fd, int packed_fd)> program;
  std::string target;  // NAME.gz: empty means NAME + compression_suffix(compress.format)
  // The file as the caller saw it (a walk): a different file or content is
  // `changed`. Unset: the file as opened.
  std::optional<struct stat> seen;
  std::string temp_tag;  // the temporary's name tag (ops::TempOptions::tag)
};

enum class InPlace {
  compressed,     // the target is written, verified, durable; NAME removed
  target_exists,  // the target exists (or appeared meanwhile): nothing changed
  changed,        // NAME is not the file that was seen, or changed while we read it: nothing changed
};
struct InPlaceResult {
  InPlace outcome = InPlace::compressed;
  std::uint64_t bytes_before = 0;  // NAME's size
  std::uint64_t bytes_after = 0;   // the target's size (when compressed)
  std::string target;
};

// Compresses `name` in dir as described above. Failures throw ops::Error
// (critical) naming the file; NAME then stays and no temporary is left.
InPlaceResult compress_in_place(const Dir& dir, const std::string& name, const InPlaceOptions& options);

}  // namespace ops
