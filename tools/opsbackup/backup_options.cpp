#include "opsbackup/backup_options.hpp"

#include "opsbackup/backup_jobs.hpp"
#include "opsbackup/store/layout.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <limits>
#include <thread>

namespace opsbackup {

void add_destination_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("dir", po::value<std::string>()->value_name("DIR"), "where backups go: DIR/NAME/ (created 0700)");
  ops::add_options(d, backup_job_schema(), {"compress", "level"});
  d.add_options()
    ("threads", ops::cli::checked_value(ops::integer_check(1, 256))->value_name("N"), "compression threads (default: one per CPU)");
}

std::optional<std::filesystem::path> path_option(const ops::cli::Context& ctx, const std::string& option) {
  auto text = ctx.text(option);
  if (!text || text->empty()) return std::nullopt;
  return absolute_path(*text);
}

std::filesystem::path backup_root(const ops::cli::Context& ctx) {
  auto dir = path_option(ctx, "dir");
  if (!dir) ops::fail_usage("no backup directory given", "give --dir DIR, or dir = DIR in [backup] of ops.conf");
  return *dir;
}

ops::CompressOptions compress_options(const ops::cli::Context& ctx, ops::Compression fallback) {
  ops::CompressOptions options;
  options.format = ops::read_options(ctx, backup_job_schema(), {"compress"}).compression("compress").value_or(fallback);
  auto range = ops::level_range(options.format);
  if (auto level = ctx.integer("level", range.first, range.second)) options.level = static_cast<int>(*level);
  options.threads = static_cast<unsigned>(
      ctx.integer("threads", 1, 256).value_or(std::max(1U, std::thread::hardware_concurrency())));
  return options;
}

void add_keep_options(ops::cli::po::options_description& d) {
  ops::add_options(d, backup_job_schema(), keep_keys());
}

// A policy is one whole: --keep-* rules on the command line replace the
// keep_* of ops.conf instead of adding to them (what restic users expect).
KeepPolicy keep_policy(const ops::cli::Context& ctx) {
  const ops::SectionValues values = ops::read_options(ctx, backup_job_schema(), keep_keys());
  if (auto command_line = keep_rules(values, true)) return *command_line;
  return keep_rules(values).value_or(KeepPolicy{});
}

void report_backups(ops::cli::Context& ctx, const std::vector<BackupResult>& results) {
  ops::Table table({{"name", ops::ColumnKind::text},
                    {"file", ops::ColumnKind::text},
                    {"size", ops::ColumnKind::bytes},
                    {"plain_size", ops::ColumnKind::bytes, "PLAIN"},
                    {"seconds", ops::ColumnKind::integer},
                    {"tables", ops::ColumnKind::integer},
                    {"rows", ops::ColumnKind::integer},
                    {"files", ops::ColumnKind::integer},
                    {"sha256", ops::ColumnKind::text}});
  double bytes = 0;
  for (const auto& r : results) {
    const auto& m = r.manifest;
    std::int64_t rows = 0;
    for (const auto& t : m.tables) rows += t.rows;
    const auto seconds = (m.finished - m.started).count();
    table.add_row({m.name, r.data_path.string(), static_cast<std::int64_t>(m.size), static_cast<std::int64_t>(m.plain_size),
                   static_cast<std::int64_t>(seconds), static_cast<std::int64_t>(m.tables.size()), rows,
                   static_cast<std::int64_t>(m.file_count), m.sha256});
    bytes += static_cast<double>(m.size);
    ctx.metrics["backup_bytes" + ops::metric_labels({{"name", m.name}})] = static_cast<double>(m.size);
    ctx.metrics["backup_last_success_timestamp_seconds" + ops::metric_labels({{"name", m.name}})] =
        static_cast<double>(m.finished.time_since_epoch().count());
    ctx.metrics["backup_duration_seconds" + ops::metric_labels({{"name", m.name}})] = static_cast<double>(seconds);
  }
  ctx.metrics["bytes_written"] = bytes;
  table.print(ctx.out, ctx.common.format);
}

}  // namespace opsbackup
