#include "opsaudit/files/changes_compare.hpp"

#include "opsaudit/files/owners.hpp"
#include "opsaudit/files/path_text.hpp"

#include <ops/clock.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unordered_map>

namespace opsaudit::files {

namespace {

std::string kind_name(char type) {
  switch (type) {
    case 'f': return "file";
    case 'd': return "directory";
    case 'l': return "symlink";
    case 'p': return "fifo";
    case 's': return "socket";
    case 'c': return "character device";
    default: return "block device";
  }
}

std::string mtime_text(const FileState& s) {
  return ops::format_time(ops::SysTime(std::chrono::seconds(s.mtime_sec)));
}

std::string described(const FileState& s) {
  std::string out = fmt::format("{}, mode {:04o}, owner {}", kind_name(s.type), s.mode, owner_text(s.uid, s.gid));
  if (s.type == 'f') out += fmt::format(", {} bytes, mtime {}", s.size, mtime_text(s));
  if (s.type == 'l') out += " -> " + ops::shown(s.data);
  return out;
}

bool runs(const FileState& s) { return s.type == 'f' && (s.mode & (S_IXUSR | S_IXGRP | S_IXOTH | S_ISUID | S_ISGID)); }

constexpr mode_t dangerous_bits = S_ISUID | S_ISGID | S_IWGRP | S_IWOTH;

class Comparer {
 public:
  explicit Comparer(bool accepted) : accepted_(accepted) {}

  void add(Severity severity, const char* kind, const std::string& path, std::string detail, std::string fix = {}) {
    findings.push_back({accepted_ ? Severity::info : severity, kind, ops::shown(path, 4096), std::move(detail),
                        accepted_ ? std::string() : std::move(fix)});
  }

  void changed(const std::string& path, const FileState& b, const FileState& n) {
    if (b.type != n.type) {
      add(Severity::critical, "type_changed", path, "was a " + described(b) + "; now a " + described(n));
      return;
    }
    if (n.type == 'f') content(path, b, n);
    if (n.type == 'l' && b.data != n.data)
      add(Severity::critical, "link_changed", path,
          fmt::format("symlink now points to {} (was {})", ops::shown(n.data), ops::shown(b.data)));
    if (b.mode != n.mode) {
      const mode_t gained = n.mode & ~b.mode;
      add(gained & dangerous_bits ? Severity::critical : Severity::warning, "mode_changed", path,
          fmt::format("mode {:04o} -> {:04o}{}", b.mode, n.mode, gained_text(gained)),
          n.type == 'l' ? "" : fix_command(fmt::format("chmod {:04o}", b.mode), path));
    }
    if (b.uid != n.uid || b.gid != n.gid)
      add(Severity::critical, "owner_changed", path,
          fmt::format("owner {} -> {}", owner_text(b.uid, b.gid), owner_text(n.uid, n.gid)),
          fix_command(fmt::format("chown {}{}", n.type == 'l' ? "-h " : "", shell_word(owner_text(b.uid, b.gid))),
                      path));
  }

  std::vector<Finding> findings;

 private:
  static std::string gained_text(mode_t gained) {
    std::vector<std::string> parts;
    if (gained & S_ISUID) parts.emplace_back("setuid");
    if (gained & S_ISGID) parts.emplace_back("setgid");
    if (gained & S_IWGRP) parts.emplace_back("group write");
    if (gained & S_IWOTH) parts.emplace_back("write by others");
    if (parts.empty()) return "";
    std::string out = " (gives ";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
    return out + ")";
  }

  void content(const std::string& path, const FileState& b, const FileState& n) {
    const Severity severity = runs(b) || runs(n) ? Severity::critical : Severity::warning;
    const std::string sizes = b.size == n.size ? fmt::format("{} bytes", n.size) : fmt::format("{} -> {} bytes", b.size, n.size);
    const bool mtime_same = b.mtime_sec == n.mtime_sec && b.mtime_nsec == n.mtime_nsec;
    const std::string when = mtime_same ? "mtime unchanged" : fmt::format("mtime {} -> {}", mtime_text(b), mtime_text(n));
    if (b.data == "?" || n.data == "?") {
      // Content unknown on one side: size and mtime are all we have.
      if (b.size != n.size || !mtime_same)
        add(severity, "content_changed", path, fmt::format("{}, {} (content not read)", sizes, when));
      return;
    }
    if (b.data != n.data) {
      add(severity, "content_changed", path,
          fmt::format("{}{}, {}", runs(n) ? "executable, " : "", sizes, when));
      return;
    }
    if (!mtime_same) add(Severity::info, "touched", path, fmt::format("same content, {}", when));
  }

  bool accepted_;
};

}  // namespace

std::vector<Finding> compare(const std::vector<std::pair<std::string, FileState>>& before,
                             const std::vector<std::pair<std::string, FileState>>& now, bool accepted) {
  Comparer c(accepted);
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(before.size());
  for (std::size_t i = 0; i < before.size(); ++i) index.emplace(before[i].first, i);
  std::vector<bool> found(before.size());
  for (const auto& [path, n] : now) {
    auto it = index.find(path);
    if (it == index.end()) {
      const bool set_id = n.type == 'f' && (n.mode & (S_ISUID | S_ISGID));
      c.add(set_id ? Severity::critical : Severity::warning, "added", path, "new " + described(n));
      continue;
    }
    found[it->second] = true;
    c.changed(path, before[it->second].second, n);
  }
  for (std::size_t i = 0; i < before.size(); ++i)
    if (!found[i]) c.add(Severity::warning, "removed", before[i].first, "gone: was a " + described(before[i].second));
  return std::move(c.findings);
}

}  // namespace opsaudit::files
