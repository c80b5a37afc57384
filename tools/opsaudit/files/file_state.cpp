#include "opsaudit/files/file_state.hpp"

#include "opsaudit/files/file_read.hpp"

#include <ops/hash.hpp>
#include <ops/text.hpp>

#include <cerrno>
#include <cstring>
#include <map>
#include <unistd.h>

namespace opsaudit::files {

namespace {

char type_of(mode_t mode) {
  if (S_ISREG(mode)) return 'f';
  if (S_ISDIR(mode)) return 'd';
  if (S_ISLNK(mode)) return 'l';
  if (S_ISFIFO(mode)) return 'p';
  if (S_ISSOCK(mode)) return 's';
  if (S_ISCHR(mode)) return 'c';
  return 'b';
}

}  // namespace

Scan scan_trees(const std::vector<std::string>& roots, const WalkSettings& settings,
                const std::function<bool(const TreeEntry&)>& skip) {
  Scan scan;
  // Hard links: one read per inode.
  std::map<std::pair<dev_t, ino_t>, std::string> hashed;
  walk_trees(
      roots, settings,
      [&](const TreeEntry& e) {
        if (e.excluded || skip(e)) return false;
        FileState s;
        s.type = type_of(e.st.st_mode);
        s.mode = e.st.st_mode & 07777;
        s.uid = e.st.st_uid;
        s.gid = e.st.st_gid;
        if (s.type == 'f') {
          s.size = static_cast<std::uint64_t>(e.st.st_size);
          s.mtime_sec = e.st.st_mtim.tv_sec;
          s.mtime_nsec = e.st.st_mtim.tv_nsec;
          const auto key = std::pair(e.st.st_dev, e.st.st_ino);
          auto known = e.st.st_nlink > 1 ? hashed.find(key) : hashed.end();
          if (known != hashed.end()) {
            s.data = known->second;
          } else {
            ops::Sha256 sha;
            const std::string error = read_entry(e.dir_fd, e.name, e.st, [&](std::string_view c) { sha.update(c); });
            if (error.empty()) {
              s.data = sha.hex_digest();
              if (e.st.st_nlink > 1) hashed.emplace(key, s.data);
            } else {
              s.data = "?";
              if (scan.unreadable.count++ == 0) scan.unreadable.first = ops::shown(e.path) + ": " + error;
            }
          }
        } else if (s.type == 'l') {
          // readlinkat on the walk's directory fd: the link itself, never where it points.
          std::string target(static_cast<std::size_t>(e.st.st_size > 0 ? e.st.st_size : 255) + 1, '\0');
          for (;;) {
            const ssize_t n = ::readlinkat(e.dir_fd, e.name, target.data(), target.size());
            if (n < 0) {
              s.data = "?";
              if (scan.trouble.count++ == 0) scan.trouble.first = ops::shown(e.path) + ": " + std::strerror(errno);
              break;
            }
            if (static_cast<std::size_t>(n) < target.size()) {
              target.resize(static_cast<std::size_t>(n));
              s.data = std::move(target);
              break;
            }
            target.resize(target.size() * 2);
          }
        }
        scan.entries.emplace_back(e.path, std::move(s));
        return true;
      },
      scan.trouble);
  return scan;
}

}  // namespace opsaudit::files
