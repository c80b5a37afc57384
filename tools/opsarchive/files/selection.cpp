#include "opsarchive/files/selection.hpp"
#include "opsarchive/files/file_rules.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <fnmatch.h>
#include <set>
#include <unistd.h>
#include <utility>

namespace fs = std::filesystem;

namespace opsarchive {

namespace {

bool older(const struct stat& st, ops::SysTime cutoff) {
  return st.st_mtim.tv_sec < cutoff.time_since_epoch().count();
}

// Why a directory is not ours alone to work in; empty when it is.
std::string shared_dir_reason(const struct stat& st) {
  const std::string exposed = ops::exposure_text(st);
  return exposed.empty() ? "" : "it is " + exposed;
}

}  // namespace

bool content_compressed(const Root& root, const fs::path& relative) {
  try {
    ops::Dir dir = root.dir.below(relative.parent_path());
    ops::Fd fd = dir.open_read(relative.filename().string());
    std::string head(8, '\0');
    head.resize(ops::pread_full(fd.get(), head.data(), head.size(), 0, dir.path(relative.filename().string()).string()));
    return looks_compressed(head);
  } catch (const ops::Error&) {
    return false;  // the action will meet the same trouble and report it
  }
}

Selection select_files(const std::vector<Root>& roots, const SelectRules& rules) {
  Selection out;
  std::set<std::pair<dev_t, ino_t>> seen;
  for (std::size_t r = 0; r < roots.size(); ++r) {
    const Root& root = roots[r];
    std::error_code ec;
    const fs::path walk_root = fs::canonical(root.given, ec);
    if (ec) {
      ops::log::warning_line(fmt::format("cannot read directory {}: {}", root.given.string(), ec.message()));
      out.status = ops::worst(out.status, ops::Status::warning);
      continue;
    }
    auto visit = [&](const ops::WalkEntry& e) -> bool {
      if (S_ISDIR(e.st.st_mode)) {
        const std::string reason = rules.allow_shared_dirs ? "" : shared_dir_reason(e.st);
        if (reason.empty()) return true;
        const fs::path shown = e.depth == 0 ? root.given : root.given / e.path.lexically_relative(walk_root);
        ops::log::warning_line(fmt::format("skipping {}: {}; --allow-shared-dirs to work in it anyway", shown.string(), reason));
        out.status = ops::worst(out.status, ops::Status::warning);
        return false;
      }
      if (e.depth == 0) return true;
      if (!S_ISREG(e.st.st_mode)) return false;  // symlinks, fifos, sockets, devices: never touched
      const std::string name = e.path.filename().string();
      const fs::path relative = e.path.lexically_relative(walk_root);
      if (!seen.insert({e.st.st_dev, e.st.st_ino}).second) return false;
      if (is_temp_name(name)) {
        out.candidates.push_back({r, relative, e.st, Pick::temp});
        return false;
      }
      if (!name_matches(rules.match, name) &&
          (rules.archive_glob.empty() || ::fnmatch(rules.archive_glob.c_str(), name.c_str(), 0) != 0))
        return false;
      if (rules.delete_cutoff && older(e.st, *rules.delete_cutoff)) {
        out.candidates.push_back({r, relative, e.st, Pick::remove});
        return false;
      }
      if (!rules.compress_cutoff || !older(e.st, *rules.compress_cutoff)) return false;
      if (has_compressed_suffix(name)) return false;
      if (!rules.archive_glob.empty() && ::fnmatch(rules.archive_glob.c_str(), name.c_str(), 0) == 0) return false;
      if (e.st.st_nlink > 1) {
        const auto others = e.st.st_nlink - 1;
        ops::log::warning_line(fmt::format("{} has {} other link{}; not compressed", (root.given / relative).string(), others,
                                           others == 1 ? "" : "s"));
        out.status = ops::worst(out.status, ops::Status::warning);
        return false;
      }
      if (content_compressed(root, relative)) return false;
      out.candidates.push_back({r, relative, e.st, Pick::compress});
      return false;
    };
    auto on_error = [&](const fs::path& path, int err) {
      const fs::path shown = path == walk_root ? root.given : root.given / path.lexically_relative(walk_root);
      ops::log::warning_line(fmt::format("cannot read {}: {}", shown.string(), ops::errno_text(err)));
      out.status = ops::worst(out.status, ops::Status::warning);
    };
    ops::walk_tree(walk_root, {}, visit, on_error);
  }
  return out;
}

}  // namespace opsarchive
