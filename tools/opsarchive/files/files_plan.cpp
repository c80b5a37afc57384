#include "opsarchive/files/files_plan.hpp"
#include "opsarchive/files/file_rules.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <cerrno>
#include <fmt/format.h>
#include <set>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace opsarchive {

namespace {

void check_dir(const fs::path& dir, const std::string& what) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) ops::fail_usage(fmt::format("cannot use {} {}: {}", what, dir.string(), ops::errno_text(errno)));
  if (!S_ISDIR(st.st_mode)) ops::fail_usage(fmt::format("cannot use {} {}: not a directory", what, dir.string()));
}

std::string own_name(const fs::path& dir) {
  std::error_code ec;
  auto canonical = fs::canonical(dir, ec);
  return (ec ? dir.lexically_normal() : canonical).filename().string();
}

}  // namespace

FilesPlan plan_files_job(const FilesJob& job, ops::SysTime now) {
  if (job.dirs.empty()) ops::fail_usage("no DIR given", "usage: opsarchive files DIR... --older-than DURATION --compress");
  for (const auto& d : job.dirs) check_dir(d, "directory");
  const bool collects = job.compress || job.into_tar;
  if (!collects && !job.delete_older_than)
    ops::fail_usage("nothing to do", "give --compress, --into-tar PATH or --delete-older-than DURATION");
  if (job.compress && job.into_tar) ops::fail_usage("--compress and --into-tar exclude each other");
  if (collects && !job.older_than)
    ops::fail_usage(fmt::format("{} needs --older-than DURATION", job.compress ? "--compress" : "--into-tar"));
  if (!collects && job.older_than)
    ops::fail_usage("--older-than needs --compress or --into-tar PATH",
                    "to only remove old files, use --delete-older-than DURATION");
  // Zero is refused too: "older than 0s" is every file, including the one a
  // program is writing right now, and never what a retention rule means.
  if (job.older_than && job.older_than->count() <= 0)
    ops::fail_usage(fmt::format("--older-than {}: must be more than zero", ops::format_duration(*job.older_than)));
  if (job.delete_older_than && job.delete_older_than->count() <= 0)
    ops::fail_usage(fmt::format("--delete-older-than {}: must be more than zero, or every file would be removed",
                                ops::format_duration(*job.delete_older_than)));
  if (job.older_than && job.delete_older_than && *job.delete_older_than <= *job.older_than)
    ops::fail_usage(fmt::format("--delete-older-than {} must be longer than --older-than {}",
                                ops::format_duration(*job.delete_older_than), ops::format_duration(*job.older_than)),
                    "files would be removed before they were ever compressed");

  FilesPlan plan;
  plan.rules.match = job.match;
  plan.rules.allow_shared_dirs = job.allow_shared_dirs;
  if (job.older_than) plan.rules.compress_cutoff = now - *job.older_than;
  if (job.delete_older_than) plan.rules.delete_cutoff = now - *job.delete_older_than;

  if (job.compress) {
    if (*job.compress == ops::Compression::none)
      ops::fail_usage("--compress none compresses nothing: expected gzip, zstd or xz");
    plan.compress = ops::CompressOptions{*job.compress, ops::resolve_level(*job.compress, job.level), 0};
  } else if (job.into_tar) {
    plan.tar_path = expand_tar_path(job.into_tar->string(), *plan.rules.compress_cutoff);
    const std::string name = plan.tar_path.filename().string();
    auto format = tar_compression(name);
    if (!format)
      ops::fail_usage("--into-tar " + plan.tar_path.string() + ": unknown archive type",
                      "name it .tar, .tar.gz (.tgz), .tar.zst or .tar.xz");
    if (*format == ops::Compression::none && job.level != -1)
      ops::fail_usage("--level needs a compressed archive (.tar.gz, .tar.zst or .tar.xz)");
    plan.tar = ops::CompressOptions{*format, *format == ops::Compression::none ? -1 : ops::resolve_level(*format, job.level), 0};
    fs::path parent = plan.tar_path.parent_path();
    check_dir(parent.empty() ? fs::path(".") : parent, "the directory of --into-tar");
    struct stat st {};
    if (::lstat(plan.tar_path.c_str(), &st) == 0)
      ops::fail_usage(plan.tar_path.string() + " exists; not overwritten",
                      "move it away, or put the date in the name (e.g. logs-%Y%m%d.tar.gz)");
    plan.rules.archive_glob = tar_name_glob(job.into_tar->filename().string());
    if (job.dirs.size() > 1) {
      std::set<std::string> names;
      for (const auto& d : job.dirs)
        if (!names.insert(own_name(d)).second)
          ops::fail_usage("two DIRs are named " + own_name(d) + ": their files would have the same names in the archive");
    }
  } else if (job.level != -1) {
    ops::fail_usage("--level needs --compress or --into-tar");
  }
  return plan;
}

void check_files_job(const FilesJob& job) { plan_files_job(job, ops::now()); }

}  // namespace opsarchive
