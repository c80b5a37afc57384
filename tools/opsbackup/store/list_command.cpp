// opsbackup list: the backups in DIR, one line each, oldest first.
#include "opsbackup/backup_options.hpp"
#include "opsbackup/commands.hpp"
#include "opsbackup/store/layout.hpp"
#include "opsbackup/store/manifest.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace opsbackup {

namespace {

namespace fs = std::filesystem;

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("dir", po::value<std::string>()->value_name("DIR"), "where the backups are (DIR/NAME/)")
    ("all", po::bool_switch(), "also the leftovers of runs that died (data without a manifest)");
}

// "45min", "7h", "3d": rounded down, for people.
std::string age_text(std::chrono::seconds age) {
  using namespace std::chrono;
  if (age < hours{1}) return fmt::format("{}min", duration_cast<minutes>(age).count());
  if (age < hours{48}) return fmt::format("{}h", duration_cast<hours>(age).count());
  return fmt::format("{}d", duration_cast<hours>(age).count() / 24);
}

ops::Status run(ops::cli::Context& ctx) {
  const fs::path root = backup_root(ctx);
  check_backup_root(root);  // a mistyped --dir is not an empty store
  const ops::SysTime now = ops::now();
  ops::Table table({{"name", ops::ColumnKind::text},
                    {"time", ops::ColumnKind::text},
                    {"age", ops::ColumnKind::text},
                    {"size", ops::ColumnKind::bytes},
                    {"compression", ops::ColumnKind::text},
                    {"verified", ops::ColumnKind::text},
                    {"status", ops::ColumnKind::text},
                    {"file", ops::ColumnKind::text}});
  ops::Status worst = ops::Status::ok;
  const bool show_incomplete = ctx.flag("all");
  for (const auto& name : ctx.args.empty() ? backup_names(root) : checked_names(ctx.args)) {
    // A NAME given that has no DIR/NAME is mistyped (exit 3), not an empty list.
    const auto listing = list_backup_dir(ctx.args.empty() ? root / name : existing_backup_dir(root, name), name);
    for (const auto& b : listing.backups) {
      const std::string time = ops::format_time(b.started), age = age_text(now - b.started);
      if (b.manifest.empty()) {
        // A crash between publishing the data and the manifest: not a backup.
        if (!show_incomplete) continue;
        std::string file = b.data.empty() ? "" : b.data.front().string();
        table.add_row({name, time, age, std::monostate{}, std::string(""), std::string(""), std::string("incomplete"), file});
        continue;
      }
      try {
        Manifest m = read_manifest(b.manifest);
        std::string verified = "never";
        std::string status = "complete";
        if (m.verified) {
          verified = fmt::format("{} {}", ops::format_time(m.verified->at), m.verified->how);
          if (!m.verified->ok) status = "verify-failed";
        }
        table.add_row({name, time, age, static_cast<std::int64_t>(m.size), m.compression, verified, status,
                       (b.manifest.parent_path() / m.file).string()});
      } catch (const ops::Error& e) {
        ops::log::warning_line(e.what());
        worst = ops::worst(worst, ops::Status::warning);
        table.add_row({name, time, age, std::monostate{}, std::string(""), std::string(""), std::string("bad-manifest"),
                       b.manifest.string()});
      }
    }
  }
  table.print(ctx.out, ctx.common.format);
  return worst;
}

}  // namespace

ops::cli::Subcommand list_command() {
  return {"list", "[NAME...]", "the backups, one line each: time, age, size, verification", add_options, run, 0, -1};
}

}  // namespace opsbackup
