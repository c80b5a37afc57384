// disk: space and inodes of each real filesystem, or of the ones holding
// the PATHs given, with use% computed as df computes it. The mount table
// (ops/mounts.hpp, opsdf's) never stats a pseudo or excluded filesystem; each
// chosen one is stat'ed on a thread of its own, so a stale NFS mount makes
// its own row CRITICAL before the deadline and the other rows still come.
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/error.hpp>
#include <ops/mounts.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <condition_variable>
#include <fmt/format.h>
#include <memory>
#include <mutex>
#include <thread>

namespace opshealth {
namespace {

constexpr auto kSpaceUnits = {ops::RangeUnit::percent, ops::RangeUnit::bytes};
constexpr auto kPercent = {ops::RangeUnit::percent};

// A size alone ("2G") is the free space that must remain, as check_disk
// and opsdf read it, not the range 0..2G the syntax would make of it.
std::optional<ops::Range> space_range(const ops::SectionValues& settings, std::string_view key) {
  auto range = range_of(settings, key, kSpaceUnits);
  if (range && range->unit == ops::RangeUnit::bytes && range->text.find(':') == std::string::npos &&
      range->text.find('@') == std::string::npos) {
    range->start = range->end;
    range->end = std::numeric_limits<double>::infinity();
  }
  return range;
}

// The usage of each mount, each statvfs on its own thread: nullopt for a
// mount that did not answer by `deadline` (its thread is left behind).
struct Probe {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  std::optional<ops::Usage> usage;
  int err = 0;
};

std::vector<std::shared_ptr<Probe>> probe_all(const std::vector<const ops::Mount*>& mounts,
                                              std::chrono::steady_clock::time_point deadline) {
  std::vector<std::shared_ptr<Probe>> probes;
  std::vector<std::thread> threads;
  for (const ops::Mount* m : mounts) {
    auto probe = std::make_shared<Probe>();
    probes.push_back(probe);
    threads.emplace_back([probe, point = m->mount_point] {
      auto usage = ops::usage_of(point);
      const int err = errno;
      std::lock_guard lock(probe->mutex);
      probe->usage = usage;
      probe->err = err;
      probe->done = true;
      probe->cv.notify_all();
    });
  }
  for (std::size_t i = 0; i < probes.size(); ++i) {
    std::unique_lock lock(probes[i]->mutex);
    const bool done = probes[i]->cv.wait_until(lock, deadline, [&] { return probes[i]->done; });
    lock.unlock();
    // As the runner does: a probe that answered is joined, so no thread is
    // still tearing down when the process exits; one stuck in statvfs is left.
    if (done) threads[i].join();
    else threads[i].detach();
  }
  return probes;
}

// "disk /var" on the command line ("opshealth disk", "opshealth disk
// /var/lib/mysql": the row names the mount, not the path); "disk root /"
// for a [health.root] section, whose name the rows keep.
std::string row_name(const Request& request, const ops::Mount& m) {
  std::string typed = "disk";
  for (const auto& a : request.args) typed += " " + a;
  return (request.label == typed ? std::string("disk") : request.label) + " " + m.mount_point;
}

Result disk_row(const Request& request, const ops::Mount& m, const ops::Usage& u) {
  const auto warn = space_range(request.settings, "warn");
  const auto crit = space_range(request.settings, "crit");
  const auto inode_warn = range_of(request.settings, "inode_warn", kPercent);
  const auto inode_crit = range_of(request.settings, "inode_crit", kPercent);
  const double percent = u.use_percent();
  auto judged = [&](const std::optional<ops::Range>& r) {
    return r && r->alerts(r->unit == ops::RangeUnit::bytes ? static_cast<double>(u.avail) : percent);
  };
  Result r;
  r.check = row_name(request, m);
  r.status = judged(crit) ? ops::Status::critical : judged(warn) ? ops::Status::warning : ops::Status::ok;
  const auto inodes = u.inode_use_percent();
  if (inodes) r.status = ops::worst(r.status, judge(*inodes, inode_warn, inode_crit));
  r.value = fmt::format("{:.0f}%", percent);
  r.thresholds = thresholds_text(warn, crit);
  r.message = fmt::format("{} used of {}, {} free", ops::format_size(u.used), ops::format_size(u.used + u.avail),
                          ops::format_size(u.avail));
  if (inodes) r.message += fmt::format(", inodes {:.0f}% used", *inodes);
  const std::vector<std::pair<std::string, std::string>> labels{{"mount", m.mount_point}};
  r.figures.push_back({"used", percent, ops::PerfUnit::percent, range_in(warn, ops::RangeUnit::percent),
                       range_in(crit, ops::RangeUnit::percent), 0.0, 100.0, "disk_used_percent", labels});
  r.figures.push_back({"free", static_cast<double>(u.avail), ops::PerfUnit::bytes,
                       range_in(warn, ops::RangeUnit::bytes), range_in(crit, ops::RangeUnit::bytes), 0.0,
                       static_cast<double>(u.used + u.avail), "disk_free_bytes", labels});
  r.figures.push_back({"size", static_cast<double>(u.size), ops::PerfUnit::bytes, {}, {}, {}, {},
                       "disk_size_bytes", labels});
  if (inodes)
    r.figures.push_back({"inodes", *inodes, ops::PerfUnit::percent, inode_warn, inode_crit, 0.0,
                         100.0, "disk_inodes_used_percent", labels});
  return r;
}

std::vector<Result> check_disk(const Request& request) {
  const std::vector<ops::Mount> mounts = ops::read_mounts();
  std::vector<const ops::Mount*> chosen;
  // PATHs as arguments (or target = in ops.conf) and as --path (check_disk -p).
  std::vector<std::string> paths = request.args;
  for (auto& p : request.settings.list("path")) paths.push_back(p);
  if (paths.empty()) {
    ops::MountFilter filter;
    filter.only_types = request.settings.list("type");
    filter.hide_types = request.settings.list("exclude_type");
    chosen = ops::select_mounts(mounts, filter);
  } else {
    for (const std::string& path : paths) {
      const ops::Mount* m = &ops::mount_holding(mounts, path);
      if (std::find(chosen.begin(), chosen.end(), m) == chosen.end()) chosen.push_back(m);
    }
  }
  if (chosen.empty()) cannot_tell("no filesystem to check (every mount is excluded or a pseudo filesystem)");
  // Leave a tenth of the time to report the mounts that did not answer.
  const auto deadline = std::chrono::steady_clock::now() + request.time_left() * 9 / 10;
  auto probes = probe_all(chosen, deadline);
  std::vector<Result> rows;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const ops::Mount& m = *chosen[i];
    Probe& p = *probes[i];
    std::lock_guard lock(p.mutex);
    if (!p.done) {
      rows.push_back(Result{row_name(request, m), ops::Status::critical, "", "",
                            fmt::format("statvfs did not answer in time (a stale {} mount?)", m.type)});
    } else if (!p.usage) {
      rows.push_back(Result{row_name(request, m), ops::Status::unknown, "", "",
                            fmt::format("cannot read usage: {}", ops::errno_text(p.err))});
    } else if (p.usage->size > 0 || !paths.empty()) {
      rows.push_back(disk_row(request, m, *p.usage));
    }
  }
  return rows;
}

}  // namespace

Kind disk_kind() {
  return Kind{
      "disk", "[PATH...]", "space and inodes of each filesystem (or those holding PATHs), use% as df computes it", 0, -1,
      ops::SectionSchema{
          "health", "a disk check",
          with_common_keys({
              range_key("warn", kSpaceUnits,
                        "warning above this use (default 80%); a size alone is free space that must remain (2G)", "80%"),
              range_key("crit", kSpaceUnits, "critical above this use (default 90%)", "90%"),
              range_key("inode_warn", kPercent, "warning above this inode use (default 90%)", "90%"),
              range_key("inode_crit", kPercent, "critical above this inode use (default 95%)", "95%"),
              ops::SectionKey("path", ops::KeyType::list,
                              "the filesystem holding this path (repeatable), as check_disk -p; the same as a PATH")
                  .with_option("path", "PATH"),
              ops::SectionKey("type", ops::KeyType::list, "only filesystems of this type (repeatable)")
                  .with_option("type", "TYPE"),
              ops::SectionKey("exclude_type", ops::KeyType::list, "never filesystems of this type (repeatable)")
                  .with_option("exclude-type", "TYPE"),
          })},
      check_disk};
}

}  // namespace opshealth
