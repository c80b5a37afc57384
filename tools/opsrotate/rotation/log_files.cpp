#include "opsrotate/rotation/log_files.hpp"

#include "opsrotate/config/config_parser.hpp"
#include "opsrotate/config/config_where.hpp"
#include "opsrotate/rotation/rotated_names.hpp"

#include <ops/dir.hpp>
#include <ops/error.hpp>

#include <fmt/format.h>
#include <glob.h>
#include <map>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace opsrotate {

namespace {

bool has_glob(const std::string& pattern) { return pattern.find_first_of("*?[") != std::string::npos || pattern.starts_with('~'); }

std::vector<fs::path> glob_files(const std::string& pattern) {
  glob_t g{};
  int rc = ::glob(pattern.c_str(), GLOB_TILDE, nullptr, &g);
  std::vector<fs::path> out;
  if (rc == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      fs::path p = g.gl_pathv[i];
      if (!looks_rotated(p.filename().string())) out.push_back(p);
    }
  ::globfree(&g);
  return out;  // glob sorts its results
}

}  // namespace

std::vector<LogSet> expand_logs(const RotateConfig& config, std::vector<ConfigError>& errors) {
  std::vector<LogSet> sets;
  std::map<fs::path, const LogConfig*> owner;
  for (const auto& block : config.logs) {
    LogSet set;
    set.config = &block;
    std::size_t duplicates = 0;
    std::map<fs::path, const LogConfig*> own;  // this block's, added to owner if it is kept
    for (const auto& pattern : block.patterns) {
      std::vector<fs::path> found;
      if (has_glob(pattern)) {
        found = glob_files(pattern);
        if (found.empty()) set.missing_patterns.push_back(pattern);
      } else {
        found.push_back(pattern);
      }
      for (auto& p : found) {
        const LogConfig* earlier = nullptr;
        if (auto it = owner.find(p); it != owner.end()) earlier = it->second;
        else if (auto mine = own.find(p); mine != own.end()) earlier = mine->second;
        if (earlier) {
          if (block.ignoreduplicates || earlier->ignoreduplicates) continue;
          errors.push_back({fmt::format("{}:{}: duplicate log entry for {} (first in {}:{})", block.file, block.line,
                                        shown(p.string(), std::string_view::npos), earlier->file, earlier->line),
                            "remove one of them, or say ignoreduplicates in the first block", false});
          ++duplicates;
          continue;
        }
        own.emplace(p, &block);
        set.logs.push_back(std::move(p));
      }
    }
    if (duplicates > 0) {
      errors.push_back(skipping_block(block, duplicates));
      continue;
    }
    owner.merge(own);
    sets.push_back(std::move(set));
  }
  return sets;
}

std::string special_file_kind(const struct stat& st) {
  if (S_ISFIFO(st.st_mode)) return "a FIFO";
  if (S_ISCHR(st.st_mode)) return "a character device";
  if (S_ISBLK(st.st_mode)) return "a block device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "";
}

std::string link_skip_reason(const LogConfig& c, const struct stat& st) {
  if (S_ISLNK(st.st_mode))
    return "it is a symbolic link (a symlinked log is never rotated: rotate the file it points to)";
  if (S_ISREG(st.st_mode) && st.st_nlink > 1 && !c.allowhardlink)
    return fmt::format("it has {} hard links (set allowhardlink to rotate it anyway)", st.st_nlink);
  return "";
}

std::string refusal_reason(const LogConfig& c, const fs::path& log, const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return "it is not a regular file";
  if (!c.su) {
    struct stat dir {};
    fs::path parent = log.parent_path().empty() ? fs::path(".") : log.parent_path();
    if (::stat(parent.c_str(), &dir) == 0 && ops::exposure(dir) != ops::Exposure::none)
      return "its parent directory has insecure permissions (it's world writable or writable by group which is not "
             "\"root\"); set \"su\" to say which user and group rotate it";
  }
  return "";
}

}  // namespace opsrotate
