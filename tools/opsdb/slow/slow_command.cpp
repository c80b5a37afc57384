// opsdb slow NAME|DSN, or opsdb slow --log FILE: the statements that take
// the server's time, one line per statement with its values masked, from
// the server's own sums or from slow log files.
#include "opsdb/commands.hpp"
#include "opsdb/slow/sql_fingerprint.hpp"
#include "opsdb/slow/statement_sources.hpp"

#include <ops/db_server.hpp>
#include <ops/db_target.hpp>
#include <ops/error.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>
#include <ops/value_check.hpp>

#include <fmt/format.h>

#include <limits>

namespace opsdb {
namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("top", ops::cli::checked_value(ops::integer_check(0, std::numeric_limits<int>::max()))->value_name("N"), "only the N slowest statements (default 10; 0: all)")
    ("sort", ops::cli::checked_value(ops::word_check({"total", "mean", "max", "calls"}))->value_name("BY"), "rank by total (default), mean or max time, or by calls")
    ("log", po::value<std::vector<std::string>>()->composing()->value_name("FILE"), "read a MySQL/MariaDB slow query log (gzip, zstd, xz too) instead of a server (repeatable)")
    ("rotated", po::bool_switch(), "with --log: also read FILE's rotated predecessors (FILE.1, FILE.2.gz…)")
    ("password-file", po::value<std::string>()->value_name("FILE"), "password for the database (first line of FILE)");
}

SlowSort sort_of(const std::string& word) {
  if (word == "mean") return SlowSort::mean;
  if (word == "max") return SlowSort::max;
  if (word == "calls") return SlowSort::calls;
  return SlowSort::total;
}

void print(ops::cli::Context& ctx, const std::vector<StatementStats>& rows, bool examined, bool examples) {
  const bool text = ctx.common.format == ops::Format::text;
  std::vector<ops::Column> columns{{"calls", ops::ColumnKind::integer},
                                   {"total_seconds", text ? ops::ColumnKind::text : ops::ColumnKind::number, "TOTAL"},
                                   {"mean_seconds", text ? ops::ColumnKind::text : ops::ColumnKind::number, "MEAN"},
                                   {"max_seconds", text ? ops::ColumnKind::text : ops::ColumnKind::number, "MAX"},
                                   {"rows", ops::ColumnKind::integer}};
  if (examined) columns.emplace_back("rows_examined", ops::ColumnKind::integer, "EXAMINED");
  columns.emplace_back("database");
  columns.emplace_back("query");
  // An example is long: in text only with --verbose, always in TSV and JSON.
  const bool show_examples = examples && (!text || ctx.common.verbose);
  if (show_examples) columns.emplace_back("example");
  ops::Table table(std::move(columns));
  // TSV shows a double with one decimal: times of milliseconds are given as text.
  auto seconds = [&](double s) -> ops::Cell {
    if (text) return ops::format_seconds(s);
    if (ctx.common.format == ops::Format::tsv) return fmt::format("{:.6f}", s);
    return s;
  };
  for (const auto& s : rows) {
    std::vector<ops::Cell> cells{s.calls, seconds(s.total), seconds(s.mean()), seconds(s.max), s.rows};
    if (examined) cells.emplace_back(s.rows_examined ? ops::Cell(*s.rows_examined) : ops::Cell());
    cells.emplace_back(s.database);
    cells.emplace_back(text ? sql_one_line(s.query) : s.query);
    if (show_examples) cells.emplace_back(text ? sql_one_line(s.example) : s.example);
    table.add_row(std::move(cells));
  }
  table.print(ctx.out, ctx.common.format);
}

ops::Status run(ops::cli::Context& ctx) {
  const auto top = static_cast<std::size_t>(ctx.integer("top", 0, std::numeric_limits<int>::max()).value_or(10));
  const SlowSort sort = sort_of(ctx.text("sort").value_or("total"));
  const std::vector<std::string> logs = ctx.list("log");
  if (logs.empty() && ctx.args.empty())
    ops::fail_usage("missing argument NAME|DSN", "usage: opsdb slow NAME|DSN, or opsdb slow --log FILE");
  if (!logs.empty() && !ctx.args.empty())
    ops::fail_usage(fmt::format("give NAME|DSN or --log FILE, not both ('{}' and {})", ops::shown(ctx.args.front()),
                                ctx.source("log")));
  if (ctx.flag("rotated") && logs.empty()) ops::fail_usage("--rotated reads the rotated files of --log FILE: give --log");

  StatementTally tally;
  bool examined = true, examples = false;
  if (!logs.empty()) {
    const SlowLogRead read = read_slow_logs({logs.begin(), logs.end()}, ctx.flag("rotated"), tally, ctx.warnings);
    examples = true;
    ctx.metrics["log_entries"] = static_cast<double>(read.entries);
    ops::log::info("read {} entries from {} files", read.entries, read.files.size());
  } else {
    const auto target =
        ops::db::resolve_target(ctx.config, ctx.args.front(), ctx.warnings, ctx.text("password-file").value_or(""));
    switch (target.dsn.engine) {
      case ops::db::Engine::sqlite:
        // Not a failure: there is nothing to list, as for a verb an engine lacks.
        ctx.out << "SQLite keeps no statistics of statements (time them in the application, or with .timer on "
                   "in the sqlite3 shell)\n";
        return ctx.warnings.status();
      case ops::db::Engine::postgresql: {
        auto db = ops::db::connect(target.dsn, target.options);
        read_pg_statements(*db, tally);
        examined = false;
        break;
      }
      case ops::db::Engine::mysql: {
        auto db = ops::db::connect(target.dsn, target.options);
        read_mysql_digests(*db, tally);
        examples = !ops::db::is_mariadb(*db);
        break;
      }
    }
  }
  print(ctx, tally.ranked(sort, top), examined, examples);
  ctx.metrics["statements"] = static_cast<double>(tally.size());
  return ctx.warnings.status();
}

}  // namespace

ops::cli::Subcommand slow_command() {
  return {"slow", "[NAME|DSN]",
          "the slowest statements, values masked: pg_stat_statements, performance_schema or a slow log (--log)",
          add_options, run, 0, 1};
}

}  // namespace opsdb
