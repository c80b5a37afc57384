// opsdf du: the size of each PATH and of its largest descendants — du and
// gdu's answer in one pass, in a form cron and scripts can read.
#include "opsdf/commands.hpp"
#include "opsdf/du/du_scan.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/value_check.hpp>

#include <limits>

namespace opsdf {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("depth", ops::cli::checked_value(ops::integer_check(0, 1000))->value_name("N"), "list descendants down to depth N (default 1; 0 = totals only)")
    ("top", ops::cli::checked_value(ops::integer_check(0, std::numeric_limits<int>::max()))->value_name("N"), "the N largest descendants of each PATH (default 10; 0 = all)")
    ("one-file-system,x", po::bool_switch(), "do not descend into other filesystems")
    ("apparent-size", po::bool_switch(), "count file lengths, not allocated blocks")
    ("exclude", po::value<std::vector<std::string>>()->composing()->value_name("GLOB"), "skip entries whose name or path matches GLOB (repeatable)")
    ("threads", ops::cli::checked_value(ops::integer_check(1, 256))->value_name("N"), "worker threads (default: the number of CPUs)");
}

DuOptions options_from(const ops::cli::Context& ctx) {
  DuOptions o;
  o.depth = static_cast<int>(ctx.integer("depth", 0, 1000).value_or(1));
  o.top = static_cast<std::size_t>(ctx.integer("top", 0, std::numeric_limits<int>::max()).value_or(10));
  o.one_file_system = ctx.flag("one-file-system");
  o.apparent_size = ctx.flag("apparent-size");
  o.excludes = ctx.list("exclude");
  o.threads = static_cast<unsigned>(ctx.integer("threads", 1, 256).value_or(0));
  return o;
}

ops::Status run(ops::cli::Context& ctx) {
  DuOptions options = options_from(ctx);
  DuReport report = scan_du(ctx.args, options);
  // Every root missing is a mistake on the command line, not a partial result.
  if (report.results.empty() && report.errors.size() == 1) ops::fail_usage(report.errors.front());
  for (const auto& e : report.errors) ops::log::warning_line(e);
  if (report.results.empty()) ops::fail_usage("none of the paths could be read");

  // Text has du's shape, SIZE then PATH, one record a line; TSV and JSON say
  // which rows are roots (depth 0) and how many files each holds.
  bool text = ctx.common.format == ops::Format::text;
  std::vector<ops::Column> columns{{"path", ops::ColumnKind::text},
                                   {"bytes", ops::ColumnKind::bytes, "SIZE"},
                                   {"files", ops::ColumnKind::integer},
                                   {"depth", ops::ColumnKind::integer}};
  if (text) columns = {{"bytes", ops::ColumnKind::bytes}, {"path", ops::ColumnKind::text}};
  ops::Table table(columns, !text);
  auto add = [&](const std::string& path, std::uint64_t bytes, std::uint64_t files, int depth) {
    if (text)
      table.add_row({static_cast<std::int64_t>(bytes), path});
    else
      table.add_row({path, static_cast<std::int64_t>(bytes), static_cast<std::int64_t>(files), std::int64_t{depth}});
  };
  std::uint64_t total = 0, files = 0;
  for (const auto& r : report.results) {
    add(r.root, r.bytes, r.files, 0);
    for (const auto& e : r.largest) add(e.path, e.bytes, e.files, e.depth);
    total += r.bytes;
    files += r.files;
  }
  table.print(ctx.out, ctx.common.format);
  ctx.metrics["bytes"] = static_cast<double>(total);
  ctx.metrics["files"] = static_cast<double>(files);
  return report.errors.empty() ? ops::Status::ok : ops::Status::warning;
}

}  // namespace

ops::cli::Subcommand du_command() {
  return {"du", "PATH...", "size of each PATH and of its largest descendants", add_options, run, 1};
}

}  // namespace opsdf
