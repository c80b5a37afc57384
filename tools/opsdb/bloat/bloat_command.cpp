// opsdb bloat: the space dead rows and free pages take, per table and index,
// most wasted first, and PostgreSQL's transaction-ID wraparound headroom.
// Reads statistics and catalogues only; changes nothing.
#include "opsdb/bloat/bloat.hpp"
#include "opsdb/bloat/bloat_judge.hpp"
#include "opsdb/bloat/bloat_output.hpp"
#include "opsdb/commands.hpp"

#include <ops/db_target.hpp>
#include <ops/value_check.hpp>

#include <limits>

namespace opsdb {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("top", ops::cli::checked_value(ops::integer_check(0, std::numeric_limits<int>::max()))->value_name("N"), "only the N relations that waste the most (default 0: all)")
    ("min-size", ops::cli::checked_value(ops::size_check())->value_name("SIZE"), "leave out tables and indexes smaller than SIZE (default 80K: ten PostgreSQL pages)")
    ("warn", ops::cli::checked_value(ops::threshold_check())->value_name("SIZE|PCT%"), "warning (exit 1) when a relation wastes SIZE or PCT% of itself (default: none)")
    ("crit", ops::cli::checked_value(ops::threshold_check())->value_name("SIZE|PCT%"), "critical (exit 2) when a relation wastes SIZE or PCT% of itself (default: none)")
    ("password-file", po::value<std::string>()->value_name("FILE"), "password for the database (first line of FILE)");
}

BloatLimits limits_of(const ops::cli::Context& ctx) {
  BloatLimits limits;
  limits.top = static_cast<std::size_t>(ctx.integer("top", 0, std::numeric_limits<int>::max()).value_or(0));
  limits.min_size = ctx.size("min-size").value_or(limits.min_size);
  limits.warn = ctx.threshold("warn");
  limits.crit = ctx.threshold("crit");
  return limits;
}

ops::Status run(ops::cli::Context& ctx) {
  const BloatLimits limits = limits_of(ctx);
  auto target = ops::db::resolve_target(ctx.config, ctx.args.front(), ctx.warnings, ctx.text("password-file").value_or(""));
  auto db = ops::db::connect(target.dsn, target.options);
  BloatReport report;
  switch (db->engine()) {
    case ops::db::Engine::postgresql: report = pg_bloat(*db); break;
    case ops::db::Engine::mysql: report = mysql_bloat(*db); break;
    case ops::db::Engine::sqlite: report = sqlite_bloat(*db); break;
  }
  report.database = target.name;
  judge(report, limits);
  print_bloat(ctx.out, ctx.common.format, report, limits);
  add_bloat_metrics(ctx.metrics, report);
  return ops::worst(report.status, ctx.warnings.status());
}

}  // namespace

ops::cli::Subcommand bloat_command() {
  return {"bloat", "NAME|DSN",
          "space wasted by dead rows and free pages, per table and index, and transaction-ID wraparound headroom",
          add_options, run, 1, 1};
}

}  // namespace opsdb
