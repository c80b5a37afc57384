#pragma once
// Compressing one file in place (ops::compress_in_place: a crash at any moment
// leaves the original, or the original and a complete, verified NAME.gz, never
// a loss and never a partial NAME.gz), plus what only opsarchive does: content
// compressed already is left alone, and a NAME.gz/.zst/.xz that holds exactly
// NAME's content (a crashed run's) is finished by removing NAME.

#include <ops/compress.hpp>
#include <ops/dir.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/stat.h>

namespace opsarchive {

enum class CompressOutcome {
  compressed,         // NAME.gz written, verified, durable; NAME removed
  duplicate_removed,  // NAME.gz/.zst/.xz already held exactly NAME's content: NAME removed
  target_exists,      // NAME.gz exists with other content: nothing changed (warning)
  already_compressed, // the content is compressed already (magic): nothing changed
  changed,            // NAME changed or was replaced while we worked: nothing changed
};

struct CompressResult {
  CompressOutcome outcome = CompressOutcome::compressed;
  std::uint64_t bytes_before = 0;
  std::uint64_t bytes_after = 0;  // the compressed file's size
  std::string target;             // NAME.gz
};

// Compresses `name` in dir, the file the walk saw as `seen`.
// With dry_run only looks (magic, an existing target) and changes nothing.
// Failures throw ops::Error (critical) naming the file; the original stays.
CompressResult compress_file(const ops::Dir& dir, const std::string& name, const struct stat& seen,
                             const ops::CompressOptions& options, bool dry_run);

}  // namespace opsarchive
