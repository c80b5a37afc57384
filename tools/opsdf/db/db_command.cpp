// opsdf db: which tables take the space, from the database's own catalogue.
#include "opsdf/commands.hpp"
#include "opsdf/db/table_sizes.hpp"

#include <ops/db_target.hpp>
#include <ops/value_check.hpp>

#include <limits>

namespace opsdf {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("top", ops::cli::checked_value(ops::integer_check(0, std::numeric_limits<int>::max()))->value_name("N"), "only the N largest tables (default 0: all)")
    ("password-file", po::value<std::string>()->value_name("FILE"), "password for the database (first line of FILE)");
}

ops::Status run(ops::cli::Context& ctx) {
  auto top = static_cast<std::size_t>(ctx.integer("top", 0, std::numeric_limits<int>::max()).value_or(0));
  auto target = ops::db::resolve_target(ctx.config, ctx.args.front(), ctx.warnings, ctx.text("password-file").value_or(""));
  auto connection = ops::db::connect(target.dsn, target.options);
  auto tables = opsdf::table_sizes(*connection);  // not ops::db::table_sizes, found by ADL

  ops::Table table({{"schema", ops::ColumnKind::text},
                    {"table", ops::ColumnKind::text},
                    {"data", ops::ColumnKind::bytes},
                    {"index", ops::ColumnKind::bytes},
                    {"total", ops::ColumnKind::bytes},
                    {"estimated_rows", ops::ColumnKind::integer, "ROWS"}});
  std::int64_t total = 0;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const auto& t = tables[i];
    total += t.total_bytes;
    if (top != 0 && i >= top) continue;
    table.add_row({t.schema, t.name, t.data_bytes, t.index_bytes, t.total_bytes, t.estimated_rows});
  }
  table.print(ctx.out, ctx.common.format);
  ctx.metrics["tables"] = static_cast<double>(tables.size());
  ctx.metrics["database_bytes"] = static_cast<double>(total);
  return ctx.warnings.status();  // a password file others may read: exit 1
}

}  // namespace

ops::cli::Subcommand db_command() {
  return {"db", "NAME|DSN", "table sizes of a database, largest first", add_options, run, 1, 1};
}

}  // namespace opsdf
