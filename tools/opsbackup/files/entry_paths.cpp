#include "opsbackup/files/entry_paths.hpp"

#include <fmt/format.h>

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

std::vector<std::string> clean_components(const std::string& name) {
  std::vector<std::string> parts;
  for (auto& part : components(name))
    if (part != ".") parts.push_back(std::move(part));
  return parts;
}

// Why the directories on the way to `parts` (all but the last) cannot be
// walked without following a link; empty when they can. A directory that is
// absent will be created, and so will everything below it.
std::string way_refusal(const std::vector<std::string>& parts, const NodeLookup& at, bool& all_there) {
  std::string path;
  all_there = true;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    path += (i ? "/" : "") + parts[i];
    switch (at(path)) {
      case Node::directory: continue;
      case Node::absent: all_there = false; return {};
      case Node::symlink: return fmt::format("the way to it passes through the symlink {}", path);
      case Node::other: return fmt::format("the way to it passes through {}, not a directory", path);
    }
  }
  return {};
}

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& part : parts) s += (s.empty() ? "" : "/") + part;
  return s;
}

std::string hardlink_refusal(const std::string& target, const NodeLookup& at) {
  if (auto why = unsafe_entry_name(target); !why.empty()) return "a hard link to " + why;
  const auto parts = clean_components(target);
  if (parts.empty()) return "a hard link to the restore directory itself";
  bool all_there = false;
  if (auto why = way_refusal(parts, at, all_there); !why.empty())
    return fmt::format("a hard link to {}, and {}", target, why);
  const Node node = all_there ? at(join(parts)) : Node::absent;
  if (node == Node::absent) return fmt::format("a hard link to {}, which no earlier entry restored", target);
  if (node == Node::directory) return fmt::format("a hard link to the directory {}", target);
  return {};
}

}  // namespace

std::string unsafe_entry_name(const std::string& name) {
  if (name.empty()) return "an empty name";
  if (name.front() == '/') return "an absolute name";
  for (const auto& part : components(name))
    if (part == "..") return "a name with \"..\"";
  return {};
}

std::string clean_name(const std::string& name) { return join(clean_components(name)); }

std::string entry_refusal(const EntryAsk& entry, const NodeLookup& at) {
  if (auto why = unsafe_entry_name(entry.name); !why.empty()) return why;
  const auto parts = clean_components(entry.name);
  if (parts.empty())  // "." or "./": the restore directory itself
    return entry.kind == Node::directory && entry.hardlink.empty() ? std::string() : "names the restore directory";
  bool all_there = false;
  if (auto why = way_refusal(parts, at, all_there); !why.empty()) return why;
  const Node there = all_there ? at(join(parts)) : Node::absent;
  if (there != Node::absent && !(there == Node::directory && entry.kind == Node::directory && entry.hardlink.empty()))
    return "an earlier entry has this name: one is never replaced by another";
  if (!entry.hardlink.empty()) return hardlink_refusal(entry.hardlink, at);
  return {};
}

Node ArchiveTree::at(const std::string& path) const {
  auto it = nodes_.find(path);
  return it == nodes_.end() ? Node::absent : it->second;
}

void ArchiveTree::add(const EntryAsk& entry) {
  const auto parts = clean_components(entry.name);
  std::string path;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    path += (i ? "/" : "") + parts[i];
    if (i + 1 < parts.size()) {
      nodes_.try_emplace(path, Node::directory);
    } else if (!entry.hardlink.empty()) {
      nodes_[path] = at(clean_name(entry.hardlink));  // a hard link to a symlink is one
    } else {
      nodes_[path] = entry.kind;
    }
  }
}

}  // namespace opsbackup
