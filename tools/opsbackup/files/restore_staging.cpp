#include "opsbackup/files/restore_staging.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

// "R/" and "R" are the same directory; its name is the last component.
fs::path without_trailing_slash(const fs::path& p) {
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// What a name would meet in DIR: nothing, or something the merge accepts.
void check_merge(const ops::Dir& from, const ops::Dir& to) {
  for (const auto& name : ops::list_names(from)) {
    auto there = to.stat(name);
    if (!there) continue;
    auto ours = from.stat(name);
    if (!ours) continue;
    const bool our_dir = S_ISDIR(ours->st_mode), their_dir = S_ISDIR(there->st_mode);
    if (our_dir && their_dir) {
      check_merge(from.below(name), to.below(name));
    } else if (our_dir || their_dir) {
      ops::fail(fmt::format("cannot restore {}: the backup has a {} there, {} has a {}; nothing restored",
                            to.path(name).string(), our_dir ? "directory" : "file", to.path().string(),
                            S_ISLNK(there->st_mode) ? "symlink" : their_dir ? "directory" : "file"));
    }
  }
}

// A directory of DIR that received the backup's entries takes the backup's
// mode, owner (root only) and times, as an extraction over it would set them.
void take_attributes(const ops::Dir& dir, const struct stat& st) {
  if (::geteuid() == 0 && ::fchown(dir.fd(), st.st_uid, st.st_gid) != 0)
    ops::fail_errno("cannot set the owner of " + dir.path().string(), errno);
  if (::fchmod(dir.fd(), st.st_mode & 07777) != 0) ops::fail_errno("cannot set the mode of " + dir.path().string(), errno);
  const struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (::futimens(dir.fd(), times) != 0) ops::fail_errno("cannot set the times of " + dir.path().string(), errno);
}

// Moving a directory to another parent rewrites its "..": a directory
// restored without write permission for us (0555) is opened for the move
// and given its mode back (root needs no such thing).
ops::Moved move(const ops::Dir& from, const std::string& name, const ops::Dir& to) {
  auto st = from.stat(name);
  const bool locked = st && S_ISDIR(st->st_mode) && !(st->st_mode & S_IWUSR) && ::geteuid() != 0;
  if (locked) ::fchmodat(from.fd(), name.c_str(), (st->st_mode & 07777) | S_IWUSR, 0);
  const ops::Moved moved = ops::rename_noreplace(from, name, to, name);
  if (locked) ::fchmodat(moved == ops::Moved::yes ? to.fd() : from.fd(), name.c_str(), st->st_mode & 07777, 0);
  return moved;
}

void merge(const ops::Dir& from, const ops::Dir& to) {
  for (const auto& name : ops::list_names(from)) {
    switch (move(from, name, to)) {
      case ops::Moved::yes: continue;
      case ops::Moved::other_filesystem:
        ops::fail(fmt::format("cannot move {} to {}: another filesystem", from.path(name).string(),
                              to.path(name).string()));
      case ops::Moved::target_exists: break;
    }
    auto ours = from.stat(name);
    auto there = to.stat(name);
    if (ours && there && S_ISDIR(ours->st_mode) && S_ISDIR(there->st_mode)) {
      const ops::Dir into = to.below(name);
      merge(from.below(name), into);
      take_attributes(into, *ours);
    } else if (::renameat(from.fd(), name.c_str(), to.fd(), name.c_str()) != 0) {  // --force: replaces
      ops::fail_errno(fmt::format("cannot move {} to {}", from.path(name).string(), to.path(name).string()), errno);
    }
  }
}

}  // namespace

Staging::Staging(const fs::path& to_dir) : to_dir_(without_trailing_slash(to_dir)) {
  std::error_code ec;
  into_existing_ = fs::exists(to_dir_, ec);
  if (into_existing_) {
    home_ = ops::Dir::open(to_dir_);
    name_ = ops::create_temp_dir(home_, "restore");
  } else {
    for (fs::path p = to_dir_.parent_path(); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
      made_parents_.push_back(p);
      if (p == p.parent_path()) break;
    }
    if (!to_dir_.parent_path().empty()) fs::create_directories(to_dir_.parent_path(), ec);
    home_ = ops::Dir::open_parent(to_dir_);
    name_ = ops::create_temp_dir(home_, to_dir_.filename().string());
  }
  build_ = home_.below(name_);
}

Staging::~Staging() {
  if (published_) return;
  try {
    build_ = ops::Dir();
    ops::remove_tree(home_, name_);
    home_ = ops::Dir();
    std::error_code ec;
    for (const auto& made : made_parents_) fs::remove(made, ec);  // deepest first; only if still empty
  } catch (const std::exception& e) {
    ops::log::warning_line(fmt::format("cannot remove the unfinished restore: {}", e.what()));
  }
}

void Staging::publish() {
  if (!into_existing_) {
    const std::string final_name = to_dir_.filename().string();
    switch (ops::rename_noreplace(home_, name_, home_, final_name)) {
      case ops::Moved::yes: break;
      case ops::Moved::target_exists:
        ops::fail(fmt::format("{} appeared during the restore: not replacing it; nothing restored", to_dir_.string()));
      case ops::Moved::other_filesystem:  // one directory: cannot happen
        ops::fail(fmt::format("cannot move {} to {}: another filesystem", home_.path(name_).string(), to_dir_.string()));
    }
    published_ = true;
    home_.sync();
    return;
  }
  check_merge(build_, home_);
  merge(build_, home_);
  published_ = true;  // what is left in the temporary directory are merged directories
  build_ = ops::Dir();
  ops::remove_tree(home_, name_);
  home_.sync();
}

}  // namespace opsbackup
