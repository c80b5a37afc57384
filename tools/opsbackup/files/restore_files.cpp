#include "opsbackup/files/restore_files.hpp"

#include "opsbackup/files/entry_paths.hpp"
#include "opsbackup/files/restore_staging.hpp"

#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>
#include <ops/tar.hpp>

#include <fmt/format.h>
#include <functional>

#include <fcntl.h>
#include <unistd.h>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

// libarchive writes below the working directory (names relative to it), so
// extraction runs inside the temporary directory, entered by its fd; this
// puts the old working directory back afterwards.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const ops::Dir& dir) : old_(ops::open_file(".", O_PATH | O_DIRECTORY)) {
    if (::fchdir(dir.fd()) != 0) ops::fail_errno("cannot enter " + dir.path().string(), errno);
  }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;
  // Back to the old working directory; false when that failed. Called by
  // the restore, which counts the failure among its warnings.
  bool leave() {
    if (left_) return true;
    left_ = true;
    return ::fchdir(old_.get()) == 0;
  }
  // On an error, which sets the exit status itself: said, not counted.
  ~WorkingDirectory() {
    if (!leave()) ops::log::warning_line(kCannotReturn);
  }
  static constexpr const char* kCannotReturn = "cannot return to the previous working directory";

 private:
  ops::Fd old_;
  bool left_ = false;
};

int extract_flags() {
  int flags = ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
              ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
              ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_FFLAGS | ARCHIVE_EXTRACT_SPARSE;
  if (::geteuid() == 0) flags |= ARCHIVE_EXTRACT_OWNER;  // others cannot give files away
  return flags;
}

EntryAsk ask_of(archive_entry* entry) {
  EntryAsk ask;
  const char* name = archive_entry_pathname(entry);
  ask.name = name ? name : "";
  if (const char* link = archive_entry_hardlink(entry)) {
    ask.hardlink = link;
  } else {
    switch (archive_entry_filetype(entry)) {
      case AE_IFDIR: ask.kind = Node::directory; break;
      case AE_IFLNK: ask.kind = Node::symlink; break;
      default: ask.kind = Node::other; break;
    }
  }
  return ask;
}

void refuse_unsafe(const EntryAsk& ask, const NodeLookup& at) {
  if (auto why = entry_refusal(ask, at); !why.empty())
    ops::fail(fmt::format("refusing entry \"{}\": {}; nothing restored", ask.name, why));
}

// The tree being built, on disk: each name walked one component at a time
// below the temporary directory, never following a symlink. A directory is
// never replaced while the tree is built (the rule refuses a second entry of
// a name, and a directory named twice stays itself), so the directory of the
// last walk is kept: the next entries below it start there, and the names
// on its way are directories without another look (archives list the
// entries of one directory together).
class DiskTree {
 public:
  explicit DiskTree(const ops::Dir& root) : root_(root.dup()) {}

  Node at(const std::string& path) {
    if (path == kept_path_ || (kept_path_.starts_with(path) && kept_path_[path.size()] == '/'))
      return Node::directory;
    const ops::Dir* dir = &root_;
    std::size_t start = 0;
    if (!kept_path_.empty() && path.starts_with(kept_path_) && path[kept_path_.size()] == '/') {
      dir = &kept_;
      start = kept_path_.size() + 1;
    }
    ops::Dir walked;
    for (;;) {
      const std::size_t slash = path.find('/', start);
      const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      auto st = dir->stat(part);
      if (!st) return Node::absent;
      if (S_ISLNK(st->st_mode)) return Node::symlink;
      if (!S_ISDIR(st->st_mode)) return Node::other;
      if (slash == std::string::npos) return Node::directory;
      walked = dir->below(part);
      dir = &walked;
      kept_path_ = path.substr(0, slash);  // a directory, walked to without a link
      kept_ = walked.dup();
      start = slash + 1;
    }
  }

 private:
  ops::Dir root_;
  std::string kept_path_;
  ops::Dir kept_;
};

fs::path data_file(const FilesRestoreRequest& r) {
  return fs::absolute(r.manifest_file.parent_path() / r.manifest.file);  // read from inside the build
}

[[noreturn]] void cannot_restore(const std::string& name, archive* d) {
  ops::fail(fmt::format("cannot restore {}: {}; nothing restored", name, ops::archive_message(d)));
}

void warn(FilesRestoreResult& result, const std::string& name, archive* d) {
  result.warnings.push_back(fmt::format("{}: {}", name, ops::archive_message(d)));
  ops::log::warning_line(result.warnings.back());
}

// One entry from the reader `a` through the disk writer `d`.
void extract(archive* a, archive* d, archive_entry* entry, const fs::path& data, FilesRestoreResult& result) {
  const std::string name = archive_entry_pathname(entry);
  int rc = archive_write_header(d, entry);
  if (rc == ARCHIVE_WARN) warn(result, name, d);
  else if (rc != ARCHIVE_OK) cannot_restore(name, d);
  const void* block = nullptr;
  size_t size = 0;
  la_int64_t offset = 0;
  while ((rc = archive_read_data_block(a, &block, &size, &offset)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
    if (archive_write_data_block(d, block, size, offset) < ARCHIVE_WARN) cannot_restore(name, d);
  }
  if (rc != ARCHIVE_EOF)
    ops::fail(fmt::format("{}: {}: {}; nothing restored", data.string(), name, ops::archive_message(a)));
  rc = archive_write_finish_entry(d);
  if (rc == ARCHIVE_WARN) warn(result, name, d);
  else if (rc != ARCHIVE_OK) cannot_restore(name, d);
}

}  // namespace

void check_files_target(const FilesRestoreRequest& r) {
  if (r.manifest.kind != "files") ops::fail_usage(r.manifest_file.string() + " is a database backup: use --to");
  std::error_code ec;
  if (!fs::exists(r.to_dir, ec)) return;
  if (!fs::is_directory(r.to_dir, ec)) ops::fail_usage(r.to_dir.string() + " exists and is not a directory");
  if (!r.force && !fs::is_empty(r.to_dir, ec))
    ops::fail_usage(fmt::format("{} is not empty: not restoring into it", r.to_dir.string()),
                    "restore into a new or empty directory, or give --force to restore into this one anyway");
}

namespace {

// Calls `each` for every entry of the backup's archive, in order; a
// damaged archive fails naming the file. One reader for the dry run's check
// and the restore, so they cannot see different entries.
void for_each_entry(const fs::path& data, const FilesRestoreRequest& r,
                    const std::function<void(archive*, archive_entry*)>& each) {
  ops::read_tar(data, ops::parse_compression(r.manifest.compression), [&](archive* a) {
    archive_entry* entry = nullptr;
    for (;;) {
      int rc = archive_read_next_header(a, &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        ops::fail(fmt::format("{}: {}; nothing restored", data.string(), ops::archive_message(a)));
      each(a, entry);
    }
  });
}

}  // namespace

void check_files_restore(const FilesRestoreRequest& r) {
  check_files_target(r);
  const fs::path data = data_file(r);
  ArchiveTree tree;
  const NodeLookup at = [&](const std::string& path) { return tree.at(path); };
  ops::Utf8Names utf8;
  for_each_entry(data, r, [&](archive* a, archive_entry* entry) {
    const EntryAsk ask = ask_of(entry);
    refuse_unsafe(ask, at);
    tree.add(ask);
    if (archive_read_data_skip(a) != ARCHIVE_OK)
      ops::fail(fmt::format("{}: {}: {}; nothing restored", data.string(), ask.name, ops::archive_message(a)));
  });
}

FilesRestoreResult restore_files(const FilesRestoreRequest& r) {
  check_files_target(r);
  const fs::path data = data_file(r);
  FilesRestoreResult result;
  ops::Utf8Names utf8;

  Staging staging(r.to_dir);  // removed whole unless published
  {
    WorkingDirectory inside(staging.dir());
    // Freed before we leave: libarchive sets what it deferred (the modes and
    // times of directories) by names relative to the working directory.
    ops::ArchiveWriter disk(archive_write_disk_new());
    if (!disk) ops::fail("cannot restore: out of memory");
    archive* d = disk.get();
    ops::check_archive(d, archive_write_disk_set_options(d, extract_flags()), "cannot set up the restore");
    ops::check_archive(d, archive_write_disk_set_standard_lookup(d), "cannot set up the restore");

    DiskTree tree(staging.dir());
    const NodeLookup at = [&](const std::string& path) { return tree.at(path); };
    for_each_entry(data, r, [&](archive* a, archive_entry* entry) {
      refuse_unsafe(ask_of(entry), at);
      extract(a, d, entry, data, result);
      ++result.entries;
    });
    // Directory modes and times are set last, once nothing more goes into them.
    ops::check_archive(d, archive_write_close(d), "cannot finish restoring into " + r.to_dir.string());
    disk.reset();
    if (!inside.leave()) {
      result.warnings.emplace_back(WorkingDirectory::kCannotReturn);
      ops::log::warning_line(result.warnings.back());
    }
  }
  staging.publish();
  return result;
}

}  // namespace opsbackup
