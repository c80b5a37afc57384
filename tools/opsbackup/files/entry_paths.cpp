#include "opsbackup/files/entry_paths.hpp"

#include <vector>

namespace opsbackup {

namespace {

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

}  // namespace

std::string unsafe_entry_name(const std::string& name) {
  if (name.empty()) return "an empty name";
  if (name.front() == '/') return "an absolute name";
  for (const auto& part : components(name))
    if (part == "..") return "a name with \"..\"";
  return {};
}

bool symlink_stays_inside(const std::string& name, const std::string& target) {
  if (target.empty() || target.front() == '/') return false;
  // Where the link is: the directories of its name ("." parts dropped).
  std::vector<std::string> where;
  for (const auto& part : components(name))
    if (part != ".") where.push_back(part);
  if (!where.empty()) where.pop_back();  // the link itself
  for (const auto& part : components(target)) {
    if (part == ".") continue;
    if (part == "..") {
      if (where.empty()) return false;
      where.pop_back();
    } else {
      where.push_back(part);
    }
  }
  return true;
}

}  // namespace opsbackup
