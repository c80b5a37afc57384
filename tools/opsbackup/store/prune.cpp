#include "opsbackup/store/prune.hpp"

#include "opsbackup/store/last_run.hpp"
#include "opsbackup/store/layout.hpp"
#include "opsbackup/store/manifest.hpp"

#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

// A temporary or manifest-less file untouched for this long belongs to a run
// that died; a running backup writes to its file all the time.
constexpr auto kLeftoverAge = std::chrono::hours{1};

bool untouched_for(const fs::path& p, std::chrono::seconds age) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return false;
  return std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_mtime) > age;
}

void remove_file(const fs::path& p) {
  if (::unlink(p.c_str()) != 0 && errno != ENOENT) ops::fail_errno("cannot remove " + p.string(), errno);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

std::vector<PruneRow> prune_backups(const PruneRequest& request, ops::Warnings& warnings) {
  check_backup_name(request.name);
  if (request.policy.empty())
    ops::fail_usage("no --keep-* rule given: prune would remove every backup but the newest",
                    "give e.g. --keep-daily 7 --keep-weekly 4 --keep-monthly 12 (or keep_* in [backup] of ops.conf)");
  const fs::path dir = request.root / request.name;
  const Listing listing = list_backup_dir(dir, request.name);

  std::vector<RetentionItem> items;
  std::map<std::string, const BackupFiles*> by_stem;
  for (const auto& b : listing.backups)
    if (!b.manifest.empty()) {
      items.push_back({b.stem, b.started});
      by_stem[b.stem] = &b;
    }
  if (items.empty()) return {};

  // The newest run failed: the backups here may be all there is. Keep them.
  if (auto last = read_last_run(dir, warnings); last && !last->ok && !request.force)
    ops::fail(fmt::format("the last backup run of {} failed ({}): not pruning; --force prunes anyway", request.name,
                          last->error));
  const auto& newest = *by_stem.rbegin()->second;
  if (auto m = read_manifest(newest.manifest); m.verified && !m.verified->ok && !request.force)
    ops::fail(fmt::format("the newest backup {} failed verification ({}): not pruning; --force prunes anyway",
                          newest.stem, m.verified->detail));

  std::vector<PruneRow> rows;
  for (const auto& d : apply_retention(items, request.policy)) {
    rows.push_back({d.id, d.time, d.keep ? "keep" : "remove", join(d.reasons)});
    if (d.keep || request.dry_run) continue;
    const BackupFiles& b = *by_stem.at(d.id);
    remove_file(b.manifest);  // first: from here on it is not a backup any more
    for (const auto& data : b.data) remove_file(data);
  }
  for (const auto& b : listing.backups) {
    if (!b.manifest.empty()) continue;
    for (const auto& data : b.data)
      if (untouched_for(data, kLeftoverAge)) {
        rows.push_back({b.stem, b.started, "leftover", "no manifest: a run died between data and manifest"});
        if (!request.dry_run) remove_file(data);
      }
  }
  if (!listing.leftovers.empty()) {
    const ops::Dir here = ops::Dir::open(dir);
    for (const auto& temp : listing.leftovers)
      if (untouched_for(temp, kLeftoverAge) && ops::clear_leftover(here, temp.filename().string(), request.dry_run))
        rows.push_back({temp.filename().string(), ops::SysTime{}, "leftover", "temporary file of a run that died"});
  }
  if (!request.dry_run) ops::fsync_parent_dir(dir / "x");
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  return rows;
}

}  // namespace opsbackup
