#include "opsbackup/files/restore_files.hpp"

#include "opsbackup/files/entry_paths.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>
#include <ops/tar.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

// libarchive's secure flags judge names relative to the working directory,
// so extraction runs inside DIR; this puts the old one back afterwards.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const fs::path& dir) : old_(ops::open_file(".", O_PATH | O_DIRECTORY)) {
    if (::chdir(dir.c_str()) != 0) ops::fail_errno("cannot enter " + dir.string(), errno);
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

void prepare_target(const FilesRestoreRequest& r) {
  std::error_code ec;
  check_files_target(r);
  if (fs::exists(r.to_dir, ec)) return;
  fs::create_directories(r.to_dir.parent_path(), ec);
  if (::mkdir(r.to_dir.c_str(), 0700) != 0) ops::fail_errno("cannot create " + r.to_dir.string(), errno);
}

int extract_flags() {
  int flags = ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
              ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
              ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_FFLAGS | ARCHIVE_EXTRACT_SPARSE;
  if (::geteuid() == 0) flags |= ARCHIVE_EXTRACT_OWNER;  // others cannot give files away
  return flags;
}

void refuse_unsafe(archive_entry* entry) {
  const std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
  if (auto why = unsafe_entry_name(name); !why.empty())
    ops::fail(fmt::format("refusing entry \"{}\": {}; nothing further extracted", name, why));
  if (const char* link = archive_entry_hardlink(entry)) {
    if (auto why = unsafe_entry_name(link); !why.empty())
      ops::fail(fmt::format("refusing entry \"{}\": a hard link to {}; nothing further extracted", name, why));
  }
  if (archive_entry_filetype(entry) == AE_IFLNK) {
    const char* target = archive_entry_symlink(entry);
    if (!symlink_stays_inside(name, target ? target : ""))
      ops::fail(fmt::format("refusing entry \"{}\": a symlink to {}, outside the restore directory; "
                            "nothing further extracted",
                            name, target ? target : ""));
  }
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

FilesRestoreResult restore_files(const FilesRestoreRequest& r) {
  const Manifest& m = r.manifest;
  prepare_target(r);
  const fs::path data = fs::absolute(r.manifest_file.parent_path() / m.file);  // read from inside DIR
  FilesRestoreResult result;

  ops::Utf8Names utf8;
  ops::ArchiveWriter disk(archive_write_disk_new());
  if (!disk) ops::fail("cannot restore: out of memory");
  archive* d = disk.get();
  ops::check_archive(d, archive_write_disk_set_options(d, extract_flags()), "cannot set up the restore");
  ops::check_archive(d, archive_write_disk_set_standard_lookup(d), "cannot set up the restore");

  WorkingDirectory inside(r.to_dir);
  ops::read_tar(data, ops::parse_compression(m.compression), [&](archive* a) {
    archive_entry* entry = nullptr;
    for (;;) {
      int rc = archive_read_next_header(a, &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) ops::fail(fmt::format("{}: {}", data.string(), ops::archive_message(a)));
      refuse_unsafe(entry);
      const std::string name = archive_entry_pathname(entry);
      rc = archive_write_header(d, entry);
      if (rc == ARCHIVE_WARN) {
        result.warnings.push_back(fmt::format("{}: {}", name, ops::archive_message(d)));
        ops::log::warning_line(result.warnings.back());
      } else if (rc != ARCHIVE_OK) {
        ops::fail(fmt::format("cannot restore {}: {}", name, ops::archive_message(d)));
      }
      const void* block = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      while ((rc = archive_read_data_block(a, &block, &size, &offset)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (archive_write_data_block(d, block, size, offset) < ARCHIVE_WARN)
          ops::fail(fmt::format("cannot restore {}: {}", name, ops::archive_message(d)));
      }
      if (rc != ARCHIVE_EOF) ops::fail(fmt::format("{}: {}: {}", data.string(), name, ops::archive_message(a)));
      rc = archive_write_finish_entry(d);
      if (rc == ARCHIVE_WARN) {
        result.warnings.push_back(fmt::format("{}: {}", name, ops::archive_message(d)));
        ops::log::warning_line(result.warnings.back());
      } else if (rc != ARCHIVE_OK) {
        ops::fail(fmt::format("cannot restore {}: {}", name, ops::archive_message(d)));
      }
      ++result.entries;
    }
  });
  // Directory modes and times are set last, once nothing more goes into them.
  ops::check_archive(d, archive_write_close(d), "cannot finish restoring into " + r.to_dir.string());
  if (!inside.leave()) {
    result.warnings.emplace_back(WorkingDirectory::kCannotReturn);
    ops::log::warning_line(result.warnings.back());
  }
  return result;
}

}  // namespace opsbackup
