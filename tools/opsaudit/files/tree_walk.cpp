#include "opsaudit/files/tree_walk.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>

namespace opsaudit::files {

ops::SectionKey exclude_key() {
  return ops::SectionKey("exclude", ops::KeyType::list,
                         "a path never entered: a glob of the whole path when it holds a '/', else of the name "
                         "(repeat for more)")
      .with_option("exclude", "PATTERN");
}

ops::SectionKey one_file_system_key() {
  return ops::SectionKey("one_file_system", ops::KeyType::flag,
                         "stay on the filesystem of each PATH (mount points below are not entered)")
      .with_option("one-file-system,x");
}

WalkSettings walk_settings(const ops::SectionValues& settings) {
  return WalkSettings{settings.list("exclude"), settings.flag("one_file_system")};
}

bool excluded(const std::string& path, const std::vector<std::string>& patterns) {
  if (patterns.empty()) return false;
  const std::size_t slash = path.rfind('/');
  const char* name = slash == std::string::npos ? path.c_str() : path.c_str() + slash + 1;
  for (const std::string& p : patterns) {
    if (p.find('/') != std::string::npos) {
      if (::fnmatch(p.c_str(), path.c_str(), 0) == 0) return true;
    } else if (::fnmatch(p.c_str(), name, FNM_PERIOD) == 0) {
      return true;
    }
  }
  return false;
}

std::string root_name(const std::string& arg) {
  std::string s = arg;
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string WalkTrouble::note() const {
  if (count == 0) return "";
  return fmt::format("{} entr{} could not be read, the first: {}", count, count == 1 ? "y" : "ies", first);
}

void walk_trees(const std::vector<std::string>& roots, const WalkSettings& settings,
                const std::function<bool(const TreeEntry&)>& visit, WalkTrouble& trouble) {
  for (const std::string& arg : roots) {
    const std::string root = root_name(arg);
    struct stat st {};
    if (::lstat(root.c_str(), &st) != 0)
      ops::fail(fmt::format("cannot audit '{}': {}", ops::shown(root), std::strerror(errno)));
    if (excluded(root, settings.exclude)) continue;
    std::string path;  // reused: one allocation per entry at most
    ops::walk_tree(
        root, ops::WalkOptions{settings.one_file_system},
        [&](const ops::WalkEntry& e) {
          path = e.path.native();
          if (e.depth > 0 && excluded(path, settings.exclude)) {
            visit(TreeEntry{path, e.st, e.dir_fd, e.name, e.depth, true});
            return false;
          }
          return visit(TreeEntry{path, e.st, e.dir_fd, e.name, e.depth, false});
        },
        [&](const std::filesystem::path& where, int err) {
          if (trouble.count++ == 0) trouble.first = fmt::format("{}: {}", ops::shown(where.native()), std::strerror(err));
        });
  }
}

}  // namespace opsaudit::files
