// opsdf record: one snapshot of every filesystem, tracked directory and
// database, appended to the history that `opsdf forecast` reads. Meant for
// cron: prints nothing when all went well.
#include "opsdf/commands.hpp"
#include "opsdf/du/du_scan.hpp"
#include "opsdf/history/history.hpp"
#include "opsdf/db/table_sizes.hpp"

#include <ops/clock.hpp>
#include <ops/db_target.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/mounts.hpp>
#include <ops/value_check.hpp>

#include <cerrno>
#include <climits>
#include <sys/stat.h>
#include <cstdlib>
#include <fmt/format.h>

namespace opsdf {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("history", po::value<std::string>()->value_name("FILE"), "history file (default /var/lib/ops/df-history.tsv)")
    ("dir", po::value<std::vector<std::string>>()->composing()->value_name("DIR"), "a directory to track (repeatable)")
    ("database", ops::cli::checked_list(ops::database_check())->value_name("NAME|DSN"), "a database to track (repeatable)");
}

// The free space of the filesystem holding path, when it can be told.
std::optional<std::uint64_t> avail_under(const std::vector<ops::Mount>& mounts, const std::string& real_path) {
  const ops::Mount* m = ops::mount_of(mounts, real_path);
  if (!m) return std::nullopt;
  auto usage = ops::usage_of(m->mount_point);
  return usage ? std::optional(usage->avail) : std::nullopt;
}

void record_filesystems(const std::vector<ops::Mount>& mounts, ops::SysTime now, std::vector<Sample>& out,
                        ops::Warnings& warnings) {
  for (const auto& m : ops::usage_of_each(ops::select_mounts(mounts, {}), false, warnings))
    out.push_back({now, SeriesKind::fs, m.mount.mount_point, m.usage.used, m.usage.avail});
}

void record_directories(const std::vector<std::string>& dirs, const std::vector<ops::Mount>& mounts, ops::SysTime now,
                        std::vector<Sample>& out, ops::Warnings& warnings) {
  DuOptions options;
  options.depth = 0;
  for (const auto& dir : dirs) {
    char resolved[PATH_MAX];
    if (!::realpath(dir.c_str(), resolved)) {
      // Checked by check_directories before anything was measured; gone since.
      warnings.add("cannot access {}: {}", dir, ops::errno_text(errno));
      continue;
    }
    DuReport report = scan_du({resolved}, options);
    for (const auto& e : report.errors) warnings.add(e);
    if (report.results.empty()) continue;
    out.push_back({now, SeriesKind::dir, resolved, report.results.front().bytes, avail_under(mounts, resolved)});
  }
}

void record_databases(const std::vector<ops::db::Target>& targets, const std::vector<ops::Mount>& mounts,
                      ops::SysTime now, std::vector<Sample>& out, ops::Warnings& warnings) {
  for (const auto& target : targets) {
    try {
      auto connection = ops::db::connect(target.dsn, target.options);
      std::uint64_t used = 0;
      for (const auto& t : opsdf::table_sizes(*connection)) used += static_cast<std::uint64_t>(t.total_bytes);
      // A SQLite database grows into the filesystem that holds its file; a
      // server's data directory is out of sight.
      std::optional<std::uint64_t> avail;
      if (target.dsn.engine == ops::db::Engine::sqlite) avail = avail_under(mounts, target.dsn.path);
      out.push_back({now, SeriesKind::db, target.name, used, avail});
    } catch (const ops::Error& e) {
      // One database down must not cost the history of everything else.
      warnings.add("database {} not recorded: {}", target.name, e.what());
    }
  }
}

// A DIR named on the command line or in ops.conf that is not there is a
// typo until shown otherwise: refused (exit 3) before anything is measured,
// as `opsdf du` does, rather than recorded without it run after run.
void check_directories(const std::vector<std::string>& dirs) {
  for (const auto& dir : dirs) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
      int err = errno;
      ops::fail_usage(fmt::format("cannot access {}: {}", dir, ops::errno_text(err)));
    }
    if (!S_ISDIR(st.st_mode)) ops::fail_usage(fmt::format("{} is not a directory", dir));
  }
}

// The history is appended to: an existing one must be a regular file (a
// directory or a FIFO there is a mistake, exit 3, found before measuring).
void check_history_target(const std::string& history) {
  struct stat st {};
  if (::stat(history.c_str(), &st) != 0) return;  // a new history: created when appended to
  if (!S_ISREG(st.st_mode)) ops::fail_usage(fmt::format("history {} is not a regular file", history));
}

ops::Status run(ops::cli::Context& ctx) {
  std::string history = ctx.text("history").value_or(kDefaultHistoryPath);
  std::vector<std::string> dirs = ctx.args;
  for (auto& d : ctx.list("dir")) dirs.push_back(d);
  check_directories(dirs);
  check_history_target(history);
  // Every database name is checked before anything is measured or written.
  std::vector<ops::db::Target> targets;
  for (const auto& name : ctx.list("database")) targets.push_back(ops::db::resolve_target(ctx.config, name, ctx.warnings));

  ops::SysTime now = ops::now();
  // The history holds the years 0000-9999 (ISO-8601 with four digits): a time
  // outside them (OPS_NOW far off) would be refused by every sample alike.
  try {
    ops::parse_time(ops::format_time(now));
  } catch (const ops::Error&) {
    ops::fail_usage(fmt::format("cannot record at {}: the history holds times from year 0000 to 9999",
                                ops::format_time(now)));
  }
  auto mounts = ops::read_mounts();
  std::vector<Sample> samples;
  record_filesystems(mounts, now, samples, ctx.warnings);
  record_directories(dirs, mounts, now, samples, ctx.warnings);
  record_databases(targets, mounts, now, samples, ctx.warnings);

  if (ctx.common.dry_run) {
    for (const auto& s : samples) {
      std::string problem;
      if (auto line = recordable_line(s, problem)) ctx.out << *line;
      else ctx.warnings.add(unrecordable(s, problem));
    }
    return ctx.warnings.status();
  }
  auto result = append_samples(history, samples);
  for (const auto& w : result.warnings) ctx.warnings.add(w);
  if (result.created) ops::log::info("created history {}", history);
  ops::log::info("recorded {} series in {}", result.recorded, history);
  ctx.metrics["series"] = static_cast<double>(result.recorded);
  // Whatever could not be recorded, and the history's own trouble: exit 1.
  return ctx.warnings.status();
}

}  // namespace

ops::cli::Subcommand record_command() {
  return {"record", "[DIR...]", "append a snapshot of filesystems, directories and databases to the history",
          add_options, run};
}

}  // namespace opsdf
