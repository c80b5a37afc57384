#include "opsbackup/store/layout.hpp"

#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <sys/stat.h>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

// Creates a directory 0700, or checks an existing one.
void make_private_dir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    fs::path parent = dir.parent_path();
    if (!parent.empty()) ops::fsync_parent_dir(dir);
    return;
  }
  int err = errno;
  if (err != EEXIST) ops::fail_errno("cannot create backup directory " + dir.string(), err);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) ops::fail_errno("cannot stat " + dir.string(), errno);
  if (!S_ISDIR(st.st_mode)) ops::fail_usage(dir.string() + " exists and is not a directory");
  if (const std::string exposed = ops::exposure_text(st); !exposed.empty())
    ops::fail_usage(fmt::format("backup directory {} is {}", dir.string(), exposed),
                    "chmod 700 it: anyone could replace a backup there");
}

// Exit 3 naming `dir` when it is missing or not a directory; other trouble
// (no permission) is left to the read that follows, which says so.
void check_existing_dir(const fs::path& dir, std::string_view what) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) ops::fail_usage(fmt::format("{} {} does not exist", what, dir.string()));
    return;
  }
  if (!S_ISDIR(st.st_mode)) ops::fail_usage(fmt::format("{} {} is not a directory", what, dir.string()));
}

}  // namespace

fs::path absolute_path(const std::string& given) {
  std::error_code ec;
  fs::path p = fs::absolute(given, ec);
  if (ec) ops::fail_errno("cannot make " + given + " an absolute path", ec.value());
  return p;
}

const std::vector<std::string>& checked_names(const std::vector<std::string>& names) {
  for (const auto& name : names) check_backup_name(name);
  return names;
}

void check_backup_root(const fs::path& root) { check_existing_dir(root, "backup directory"); }

fs::path existing_backup_dir(const fs::path& root, const std::string& name) {
  check_backup_name(name);
  check_backup_root(root);
  fs::path dir = root / name;
  check_existing_dir(dir, fmt::format("no backups of {}:", name));
  return dir;
}

fs::path prepare_backup_dir(const fs::path& root, const std::string& name) {
  check_backup_name(name);
  if (root.empty()) ops::fail_usage("no backup directory given", "give --dir DIR or set dir in [backup] of ops.conf");
  make_private_dir(root);
  fs::path dir = root / name;
  make_private_dir(dir);
  return dir;
}

}  // namespace opsbackup
