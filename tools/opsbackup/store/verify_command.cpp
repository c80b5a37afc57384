// opsbackup verify: is the backup what its manifest says, and whole? The
// result is written into the manifest, so `list` and `opshealth` can show it.
#include "opsbackup/backup_options.hpp"
#include "opsbackup/commands.hpp"
#include "opsbackup/store/layout.hpp"
#include "opsbackup/store/manifest.hpp"
#include "opsbackup/db/restore.hpp"
#include "opsbackup/db/restore_test.hpp"
#include "opsbackup/store/verify.hpp"

#include <ops/db_target.hpp>

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace opsbackup {

namespace {

namespace fs = std::filesystem;

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("dir", po::value<std::string>()->value_name("DIR"), "where the backups are (DIR/NAME/)")
    ("all", po::bool_switch(), "every backup of each NAME, not only the newest")
    ("restore-test", po::bool_switch(), "also restore into a scratch database and compare tables and rows")
    ("scratch", po::value<std::string>()->value_name("NAME|DSN"), "the server for --restore-test (may create databases)")
    ("password-file", po::value<std::string>()->value_name("FILE"), "password for the --scratch server");
}

std::vector<fs::path> manifests_to_verify(const ops::cli::Context& ctx) {
  std::vector<fs::path> manifests;
  const bool all = ctx.flag("all");
  std::vector<std::string> names;
  for (const auto& arg : ctx.args) {
    if (arg.find('/') != std::string::npos) manifests.push_back(find_manifest(arg, {}));
    else names.push_back(arg);
  }
  if (ctx.args.empty() || !names.empty()) {
    const fs::path root = backup_root(ctx);
    check_backup_root(root);
    if (names.empty()) names = backup_names(root);
    for (const auto& name : checked_names(names)) {
      auto listing = list_backup_dir(existing_backup_dir(root, name), name);  // an unknown NAME: exit 3
      std::vector<fs::path> found;
      for (const auto& b : listing.backups)
        if (!b.manifest.empty()) found.push_back(b.manifest);
      if (found.empty()) ops::fail(fmt::format("no complete backup of {} in {}", name, (root / name).string()));
      if (all) manifests.insert(manifests.end(), found.begin(), found.end());
      else manifests.push_back(found.back());
    }
  }
  return manifests;
}

ops::Status run(ops::cli::Context& ctx) {
  const bool restore = ctx.flag("restore-test");
  std::optional<ops::db::Target> scratch;
  if (auto name = ctx.text("scratch"))
    scratch = ops::db::resolve_target(ctx.config, *name, ctx.warnings, ctx.text("password-file").value_or(""));
  ops::Table table({{"name", ops::ColumnKind::text},
                    {"file", ops::ColumnKind::text},
                    {"result", ops::ColumnKind::text},
                    {"detail", ops::ColumnKind::text}});
  ops::Status worst = ops::Status::ok;
  for (const auto& manifest_file : manifests_to_verify(ctx)) {
    Manifest m;
    try {
      m = read_manifest(manifest_file);
    } catch (const ops::Error& e) {
      // An unreadable manifest is that backup's verdict, not the end of the
      // run: the backups after it still get theirs. Nothing is recorded in it.
      ops::log::error_line(e.what());
      worst = ops::Status::critical;
      table.add_row({manifest_file.parent_path().filename().string(), manifest_file.string(), std::string("FAILED"),
                     std::string(e.what())});
      continue;
    }
    VerifyOutcome outcome = verify_backup(manifest_file, m);
    const char* how = "checksum";
    if (outcome.ok && restore) {
      outcome = restore_test(manifest_file, m, scratch ? &*scratch : nullptr, ctx.warnings);
      how = "restore-test";
    }
    if (!outcome.ok) {
      ops::log::error_line((manifest_file.parent_path() / m.file).string() + ": " + outcome.detail);
      worst = ops::Status::critical;
    }
    table.add_row({m.name, (manifest_file.parent_path() / m.file).string(), std::string(outcome.ok ? "ok" : "FAILED"),
                   outcome.detail});
    if (!ctx.common.dry_run) {
      m.verified = Verification{ops::now(), how, outcome.ok, outcome.detail};
      write_manifest(manifest_file, m);
    }
  }
  table.print(ctx.out, ctx.common.format);
  return ops::worst(worst, ctx.warnings.status());  // a scratch database not dropped, a password file
}

}  // namespace

ops::cli::Subcommand verify_command() {
  return {"verify", "[NAME|FILE...]", "check backups against their manifests: checksum, decompression, completeness",
          add_options, run, 0, -1};
}

}  // namespace opsbackup
