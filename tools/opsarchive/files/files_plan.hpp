#pragma once
// A checked FilesJob: cut-offs fixed, the archive's name expanded, levels
// resolved. Internal to files_job.cpp and files_plan.cpp.

#include "opsarchive/files/files_job.hpp"
#include "opsarchive/files/selection.hpp"

#include <ops/clock.hpp>
#include <ops/compress.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace opsarchive {

struct FilesPlan {
  SelectRules rules;
  std::optional<ops::CompressOptions> compress;  // per file
  std::optional<ops::CompressOptions> tar;       // the archive's compression
  std::filesystem::path tar_path;                // expanded
};

// Throws ops::Error (unknown) for a bad job; reads, never changes anything.
FilesPlan plan_files_job(const FilesJob& job, ops::SysTime now);

}  // namespace opsarchive
