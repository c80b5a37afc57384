#include "opsrotate/rotation/dir_listing.hpp"

#include <dirent.h>
#include <memory>

namespace fs = std::filesystem;

namespace opsrotate {

const DirListings::Names& DirListings::names(const fs::path& dir) {
  auto [it, inserted] = dirs_.try_emplace(dir);
  if (!inserted) return it->second;
  Names& names = it->second;
  // The directory as given, as a directory_iterator would read it: an empty
  // path (a log named without a directory) is no directory.
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) return names;
  while (const dirent* e = ::readdir(d.get())) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace(name);
  }
  return names;
}

std::vector<std::string> DirListings::starting_with(const fs::path& dir, std::string_view prefix) {
  const Names& all = names(dir);
  std::vector<std::string> found;
  for (auto it = all.lower_bound(prefix); it != all.end() && it->starts_with(prefix); ++it) found.push_back(*it);
  return found;
}

void DirListings::forget(const fs::path& dir, const std::string& name) {
  if (auto listed = dirs_.find(dir); listed != dirs_.end()) listed->second.erase(name);
}

}  // namespace opsrotate
