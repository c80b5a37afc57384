#include "opsbackup/files/files_archive.hpp"

#include "opsbackup/files/file_copy.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <fnmatch.h>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

// The manifest and stderr keep this many warnings, then say how many more.
constexpr std::size_t kMaxWarnings = 100;

class TreeArchiver {
 public:
  TreeArchiver(const FilesArchiveOptions& options, ops::TarWriter& out)
      : options_(options), out_(out), disk_(archive_read_disk_new()), links_(archive_entry_linkresolver_new()) {
    if (!disk_ || !links_) ops::fail("cannot read files for the archive: out of memory");
    archive* d = disk_.get();
    ops::check_archive(d, archive_read_disk_set_standard_lookup(d), "cannot look up user and group names");
    ops::check_archive(d, archive_read_disk_set_symlink_physical(d), "cannot set up reading files");
    // Sparse files are stored with their holes as zeros (gzip makes them small)
    // and restored sparse again: a hole map read before the data could be
    // wrong by the time the data is read.
    ops::check_archive(d, archive_read_disk_set_behavior(d, ARCHIVE_READDISK_NO_SPARSE), "cannot set up reading files");
    archive_entry_linkresolver_set_strategy(links_.get(), ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE);
  }

  void add_source(const FilesSource& source) {
    const std::string root = source.root.string();
    ops::walk_tree(
        source.root, {options_.one_file_system},
        [&](const ops::WalkEntry& e) {
          const std::string inside = e.depth == 0 ? "" : e.path.string().substr(root.size() + 1);
          const std::string name = e.depth == 0 ? source.prefix : source.prefix + "/" + inside;
          if (e.depth > 0 && is_excluded(options_.excludes, name, inside, e.path.filename().string())) return false;
          add(e.path, e.st, name);
          return true;
        },
        [&](const fs::path& path, int err) {
          warn(fmt::format("cannot read {}{}: {}", S_ISDIR(lstat_mode(path)) ? "directory " : "", path.string(),
                           ops::errno_text(err)));
        });
  }

  FilesArchiveResult result() {
    if (dropped_ > 0) result_.warnings.push_back(fmt::format("… and {} more warnings", dropped_));
    return std::move(result_);
  }

 private:
  static mode_t lstat_mode(const fs::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 ? st.st_mode : 0;
  }

  void warn(std::string text) {
    if (result_.warnings.size() >= kMaxWarnings) {
      ++dropped_;
      return;
    }
    ops::log::warning_line(text);
    result_.warnings.push_back(std::move(text));
  }

  void add(const fs::path& path, const struct stat& listed, const std::string& name) {
    if (S_ISSOCK(listed.st_mode)) {  // as tar: a socket cannot be archived, and is only a running program's
      ops::log::info("{}: socket ignored", path.string());
      return;
    }
    ops::ArchiveEntry entry(archive_entry_new());
    if (!entry) ops::fail("cannot archive " + path.string() + ": out of memory");
    archive_entry_copy_pathname(entry.get(), name.c_str());
    archive_entry_copy_sourcepath(entry.get(), path.c_str());

    ops::Fd fd;
    struct stat st = listed;
    if (S_ISREG(listed.st_mode)) {
      // O_NONBLOCK: should it have become a FIFO since the listing, open must not hang.
      fd.reset(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
      if (!fd) {
        if (errno == ENOENT) warn(fmt::format("{}: vanished before it could be read; not archived", path.string()));
        else if (errno == ELOOP) warn(fmt::format("{}: replaced by a symlink while archiving; not archived", path.string()));
        else warn(fmt::format("cannot read {}: {}; not archived", path.string(), ops::errno_text(errno)));
        return;
      }
      if (::fstat(fd.get(), &st) != 0) ops::fail_errno("cannot stat " + path.string(), errno);
      if (!S_ISREG(st.st_mode)) {
        warn(fmt::format("{}: no longer a regular file; not archived", path.string()));
        return;
      }
    }
    archive* d = disk_.get();
    int rc = archive_read_disk_entry_from_file(d, entry.get(), fd ? fd.get() : -1, &st);
    if (rc == ARCHIVE_WARN) {
      warn(fmt::format("{}: {}", path.string(), ops::archive_message(d)));
    } else if (rc != ARCHIVE_OK) {
      if (archive_errno(d) == ENOENT) warn(fmt::format("{}: vanished before it could be read; not archived", path.string()));
      else warn(fmt::format("cannot read {}: {}; not archived", path.string(), ops::archive_message(d)));
      return;
    }

    // The first of several hard links carries the data; the others become
    // links to it (with no data of their own).
    archive_entry* raw = entry.release();
    archive_entry* spare = nullptr;
    archive_entry_linkify(links_.get(), &raw, &spare);
    entry.reset(raw);
    ops::ArchiveEntry spare_owner(spare);  // never set for tar formats, which write links at once
    if (!entry) return;

    out_.write_header(entry.get());
    ++result_.entries;
    if (fd && archive_entry_size(entry.get()) > 0) {
      CopyOutcome copied = copy_file_data(fd.get(), st, path.string(), [&](std::string_view bytes) { out_.write_data(bytes); });
      if (copied.changed) warn(fmt::format("{}: {}; the copy in the backup may be inconsistent", path.string(), copied.why));
    }
  }

  const FilesArchiveOptions& options_;
  ops::TarWriter& out_;
  ops::ArchiveReader disk_;
  ops::LinkResolver links_;
  FilesArchiveResult result_;
  std::size_t dropped_ = 0;
};

}  // namespace

bool is_excluded(const std::vector<std::string>& globs, const std::string& name, const std::string& inside,
                 const std::string& base) {
  for (const auto& g : globs) {
    if (::fnmatch(g.c_str(), name.c_str(), 0) == 0 || ::fnmatch(g.c_str(), inside.c_str(), 0) == 0 ||
        ::fnmatch(g.c_str(), base.c_str(), 0) == 0)
      return true;
  }
  return false;
}

FilesArchiveResult archive_trees(const std::vector<FilesSource>& sources, const FilesArchiveOptions& options,
                                 ops::TarWriter& out) {
  TreeArchiver archiver(options, out);
  for (const auto& s : sources) archiver.add_source(s);
  return archiver.result();
}

}  // namespace opsbackup
