#pragma once
// --into-tar: old files collected into one archive that is written to a
// temporary file, fsynced, read back and checked member by member (size and
// SHA-256), and only then published under its name; the originals are
// removed by the caller after that, never before.

#include "opsarchive/files/selection.hpp"

#include <ops/compress.hpp>
#include <ops/status.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace opsarchive {

struct TarInput {
  const Candidate* file = nullptr;
  std::string member;  // its name in the archive
};

struct TarResult {
  std::uint64_t plain_bytes = 0;  // of the members stored
  std::uint64_t tar_bytes = 0;    // the archive's size
  // Per input: true when it is in the published archive, verified, and did
  // not change while it was read (so the original may go).
  std::vector<bool> stored;
  // warning when a file changed while it was read (it is kept, and said so on stderr).
  ops::Status status = ops::Status::ok;
};

// Writes, verifies and publishes `path` (which must not exist: publishing
// never replaces a file). Throws ops::Error (critical) when the archive
// cannot be made; then nothing was published and no original is touched.
TarResult write_tar(const std::filesystem::path& path, const ops::CompressOptions& options,
                    const std::vector<Root>& roots, const std::vector<TarInput>& inputs);

}  // namespace opsarchive
