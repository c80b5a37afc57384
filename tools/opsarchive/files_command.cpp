// opsarchive files: compress old files in place or collect them into one tar,
// and expire older ones. The work is in files_job.cpp (shared with `run`).
#include "commands.hpp"
#include "files_job.hpp"

#include <ops/error.hpp>
#include <ops/output.hpp>

#include <sys/stat.h>

namespace opsarchive {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("older-than", po::value<std::string>()->value_name("DURATION"),
     "compress (or collect) files whose mtime is older than this (90d, 12h, 1w)")
    ("match", po::value<std::vector<std::string>>()->composing()->value_name("GLOB"),
     "only files whose name matches GLOB (repeatable; a compressed name matches without its .gz)")
    ("compress", po::value<std::string>()->implicit_value("gzip")->value_name("gzip|zstd|xz"),
     "compress each file in place to NAME.gz (.zst, .xz), keeping mode, owner and mtime")
    ("into-tar", po::value<std::string>()->value_name("PATH"),
     "instead collect them into one archive PATH (.tar, .tar.gz, .tar.zst, .tar.xz; %Y%m%d = the cut-off date)")
    ("delete-older-than", po::value<std::string>()->value_name("DURATION"),
     "remove files (plain, compressed, archives) older than this")
    ("level", po::value<std::string>()->value_name("N"), "compression level (gzip 1-9, zstd 1-19, xz 0-9)")
    ("allow-shared-dirs", po::bool_switch(),
     "also work in directories writable by others or by a group other than root (skipped otherwise)");
}

FilesJob job_from(const ops::cli::Context& ctx) {
  FilesJob job;
  for (const auto& a : ctx.args) job.dirs.emplace_back(a);
  job.older_than = ctx.duration("older-than");
  job.match = ctx.list("match");
  if (auto c = ctx.text("compress")) {
    // Boost gives an implicit value the next word too: in `--compress
    // /var/log/app` that word is a DIR, and --compress means gzip.
    struct stat st {};
    const bool is_format = *c == "gzip" || *c == "gz" || *c == "zstd" || *c == "zst" || *c == "xz" || *c == "none";
    if (!is_format && (c->find('/') != std::string::npos || ::stat(c->c_str(), &st) == 0)) {
      job.dirs.emplace_back(*c);
      job.compress = ops::Compression::gzip;
    } else {
      job.compress = ops::parse_compression(*c);
    }
  }
  if (auto t = ctx.text("into-tar")) job.into_tar = *t;
  job.delete_older_than = ctx.duration("delete-older-than");
  if (auto l = ctx.integer("level", 0, 22)) job.level = static_cast<int>(*l);
  job.allow_shared_dirs = ctx.flag("allow-shared-dirs");
  job.dry_run = ctx.common.dry_run;
  return job;
}

ops::Status run(ops::cli::Context& ctx) {
  const FilesJob job = job_from(ctx);
  const FilesOutcome outcome = archive_files(job);
  ops::Table table({{"action", ops::ColumnKind::text},
                    {"path", ops::ColumnKind::text},
                    {"bytes_before", ops::ColumnKind::bytes, "BEFORE"},
                    {"bytes_after", ops::ColumnKind::bytes, "AFTER"}});
  auto cell = [](const std::optional<std::uint64_t>& v) -> ops::Cell {
    if (!v) return std::monostate{};
    return static_cast<std::int64_t>(*v);
  };
  for (const auto& a : outcome.actions) table.add_row({a.action, a.path.string(), cell(a.bytes_before), cell(a.bytes_after)});
  if (table.size() > 0 || ctx.common.format != ops::Format::text) table.print(ctx.out, ctx.common.format);
  ctx.metrics["files_compressed"] = static_cast<double>(outcome.files_compressed);
  ctx.metrics["files_archived"] = static_cast<double>(outcome.files_archived);
  ctx.metrics["files_deleted"] = static_cast<double>(outcome.files_deleted);
  ctx.metrics["bytes_freed"] = static_cast<double>(outcome.bytes_freed);
  return outcome.status;
}

}  // namespace

ops::cli::Subcommand files_command() {
  return {"files", "DIR...", "compress, collect into a tar, or expire old files (like find -mtime | gzip)",
          add_options, run, 0, -1};
}

}  // namespace opsarchive
