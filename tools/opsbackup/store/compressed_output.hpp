#pragma once
// The write end of every backup: plain bytes in, compressed bytes into a
// temporary file that becomes the backup only on publish() (never over an
// existing file: a backup is not replaced by another), with the SHA-256
// of exactly what was written and the last bytes of the plain stream (where
// dumpers write their completion line).

#include <ops/compress.hpp>
#include <ops/fs.hpp>
#include <ops/hash.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace opsbackup {

class CompressedOutput {
 public:
  CompressedOutput(const std::filesystem::path& destination, const ops::CompressOptions& options);

  void write(std::string_view plain);
  // Flushes the compressor, fsyncs, renames into place, fsyncs the directory.
  // An existing destination is an error (it is kept as it is).
  void publish();

  std::uint64_t plain_size() const noexcept { return plain_size_; }
  std::uint64_t size() const noexcept { return size_; }
  const std::string& sha256() const noexcept { return sha256_; }  // after publish()
  // The last bytes of the plain stream (up to 4 KiB).
  const std::string& plain_tail() const noexcept { return tail_; }

 private:
  ops::AtomicFile file_;
  ops::Sha256 hash_;
  ops::Compressor compressor_;
  std::uint64_t plain_size_ = 0;
  std::uint64_t size_ = 0;
  std::string sha256_;
  std::string tail_;
};

// Whether a plain dump's tail holds the dumper's completion line.
bool tail_has_marker(const std::string& tail, const std::string& marker);

}  // namespace opsbackup
