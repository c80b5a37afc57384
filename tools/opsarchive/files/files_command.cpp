// opsarchive files: compress old files in place or collect them into one tar,
// and expire older ones. The work is in files_job.cpp (shared with `run`).
#include "opsarchive/commands.hpp"
#include "opsarchive/files/files_job.hpp"
#include "opsarchive/files/files_options.hpp"

#include <ops/error.hpp>
#include <ops/output.hpp>

#include <sys/stat.h>

namespace opsarchive {

namespace {

void add_options(ops::cli::po::options_description& d) { ops::add_options(d, files_schema()); }

FilesJob job_from(const ops::cli::Context& ctx) {
  // --compress is read here, not by the schema: Boost gives an implicit value
  // the next word too, and in `--compress /var/log/app` that word is a DIR.
  std::vector<std::string> keys;
  for (const auto& key : files_schema().keys)
    if (!key.option.empty() && key.name != "compress") keys.push_back(key.name);
  FilesJob job = files_settings(ops::read_options(ctx, files_schema(), keys));
  for (const auto& a : ctx.args) job.dirs.emplace_back(a);
  if (auto c = ctx.text("compress")) {
    struct stat st {};
    const bool is_format = *c == "gzip" || *c == "gz" || *c == "zstd" || *c == "zst" || *c == "xz" || *c == "none";
    if (!is_format && (c->find('/') != std::string::npos || ::stat(c->c_str(), &st) == 0)) {
      job.dirs.emplace_back(*c);
      job.compress = ops::Compression::gzip;
    } else {
      job.compress = std::get<ops::Compression>(ops::parse_key_value(*files_schema().find("compress"), *c));
    }
  }
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
