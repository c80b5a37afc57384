// backup [NAME...]: the newest complete backup of each NAME in opsbackup's
// store is younger than max_age and passed its verification, and the latest
// run did not fail. The store is read through libcommon's backup_state, the
// code opsbackup reads it with, so a backup is complete, a manifest bad and
// a run failed by the same rules. The store is --dir (or dir in
// [health.NAME]), else opsbackup's own: OPS_BACKUP_DIR, then dir in
// [backup] of ops.conf. Without NAME, every NAME in the store.
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/backup_layout.hpp>
#include <ops/backup_store.hpp>
#include <ops/cli.hpp>
#include <ops/error.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <filesystem>

namespace opshealth {
namespace {

namespace fs = std::filesystem;

// Where opsbackup keeps its backups, as it finds them: its --dir is ours,
// then OPS_BACKUP_DIR and dir in [backup] of ops.conf, by the rule of
// ops::cli that opsbackup's own options follow; relative to the current
// directory, as opsbackup makes it absolute.
fs::path store_root(const Request& request) {
  std::optional<std::string> dir = request.settings.text("dir");
  if (!dir || dir->empty()) dir = ops::cli::setting_of(request.config, "backup", "dir");
  if (!dir || dir->empty())
    ops::fail_usage("no backup directory given", "give --dir DIR, or dir = DIR in [backup] of ops.conf");
  std::error_code ec;
  fs::path root = fs::absolute(*dir, ec);
  if (ec) ops::fail_usage(fmt::format("cannot make '{}' an absolute path: {}", ops::shown(*dir), ec.message()));
  return root;
}

// "26h", "2d": a limit as one would write it (format_duration would say 1d2h).
std::string limit_text(std::chrono::seconds limit) {
  const auto n = limit.count();
  if (n > 0 && n % 86400 == 0) return fmt::format("{}d", n / 86400);
  if (n > 0 && n % 3600 == 0) return fmt::format("{}h", n / 3600);
  return ops::format_duration(limit);
}

// "45min old", "27h old", "1h30min old", "3d4h old": hours up to two days, as
// a nightly backup's age is thought of.
std::string age_text(std::chrono::seconds age) {
  if (age < std::chrono::seconds(0)) return "in the future";
  const long long minutes = age.count() / 60, hours = minutes / 60;
  if (hours == 0) return fmt::format("{}min old", minutes);
  if (hours < 48) return minutes % 60 ? fmt::format("{}h{}min old", hours, minutes % 60) : fmt::format("{}h old", hours);
  return hours % 24 ? fmt::format("{}d{}h old", hours / 24, hours % 24) : fmt::format("{}d old", hours / 24);
}

Result judge_backup(const Request& request, const fs::path& root, const std::string& name, bool several) {
  const auto max_age = request.settings.duration("max_age").value_or(std::chrono::hours(26));
  Result r;
  r.check = several ? request.label + " " + name : request.label;
  const ops::backup::BackupState state = ops::backup::backup_state(root, name);
  ops::Status status = ops::Status::ok;
  std::vector<std::string> problems;
  auto problem = [&](ops::Status s, std::string text) {
    status = ops::worst(status, s);
    problems.push_back(std::move(text));
  };
  if (state.last_run && !state.last_run->ok)
    problem(ops::Status::critical, fmt::format("the last run ({}) failed: {}", ops::format_time(state.last_run->started),
                                               ops::printable_line(state.last_run->error)));
  if (!state.last_run_problem.empty()) problem(ops::Status::warning, ops::printable_line(state.last_run_problem));
  for (const auto& bad : state.unreadable) problem(ops::Status::warning, ops::printable_line(bad.error));
  ops::Range age_range;
  age_range.start = 0;
  age_range.end = static_cast<double>(max_age.count());
  age_range.unit = ops::RangeUnit::seconds;
  age_range.text = limit_text(max_age);
  r.thresholds = "max age " + age_range.text;
  if (!state.newest) {
    problem(ops::Status::critical, fmt::format("no complete backup in {}", ops::shown(state.dir.string())));
  } else {
    const ops::backup::Manifest& m = state.newest->manifest;
    const auto age = std::chrono::floor<std::chrono::seconds>(ops::now() - m.started);
    r.value = age_text(age);
    if (age > max_age)
      problem(ops::Status::critical, fmt::format("the newest backup ({}) is {}, more than {}", ops::format_time(m.started),
                                                 age_text(age), age_range.text));
    if (!m.verified)
      problem(ops::Status::warning, "the newest backup was never verified (opsbackup verify)");
    else if (!m.verified->ok)
      problem(ops::Status::critical, fmt::format("the newest backup failed verification ({}, {}): {}", m.verified->how,
                                                 ops::format_time(m.verified->at), ops::printable_line(m.verified->detail)));
    const std::vector<std::pair<std::string, std::string>> labels{{"name", name}};
    r.figures.push_back({"age", static_cast<double>(age.count()), ops::PerfUnit::seconds, {}, age_range, 0.0, {},
                         "backup_age_seconds", labels});
    r.figures.push_back({"size", static_cast<double>(m.size), ops::PerfUnit::bytes, {}, {}, 0.0, {},
                         "backup_size_bytes", labels});
    r.figures.push_back({"verified", m.verified && m.verified->ok ? 1.0 : 0.0, ops::PerfUnit::none, {}, {}, 0.0, 1.0,
                         "backup_verified", labels});
    if (problems.empty())
      r.message = fmt::format("newest backup {} ({}), {}, verified ({}) {}", ops::format_time(m.started),
                              ops::format_size(m.size), age_text(age), m.verified->how,
                              ops::format_time(m.verified->at));
  }
  r.status = status;
  if (!problems.empty()) {
    r.message = problems.front();
    for (std::size_t i = 1; i < problems.size(); ++i) r.message += "; " + problems[i];
  }
  return r;
}

std::vector<Result> check_backup(const Request& request) {
  for (const std::string& name : request.args) ops::backup::check_backup_name(name);
  const fs::path root = store_root(request);
  std::vector<std::string> names = request.args;
  if (names.empty()) {
    std::error_code ec;
    if (!fs::is_directory(root, ec))
      return {Result{request.label, ops::Status::critical, "", "",
                     fmt::format("the backup directory {} is not there", ops::shown(root.string()))}};
    names = ops::backup::backup_names(root);
    if (names.empty())
      return {Result{request.label, ops::Status::critical, "", "",
                     fmt::format("no backups in {}", ops::shown(root.string()))}};
  }
  std::vector<Result> rows;
  for (const std::string& name : names) {
    try {
      rows.push_back(judge_backup(request, root, name, names.size() > 1 || request.args.empty()));
    } catch (const ops::Error& e) {
      // One NAME's unreadable directory is its own row; the others are still judged.
      rows.push_back(Result{request.label + " " + name, e.status(), "", "", e.what()});
    }
  }
  return rows;
}

}  // namespace

Kind backup_kind() {
  return Kind{"backup", "[NAME...]",
              "the newest complete backup of opsbackup's store is recent and verified, and the last run did not fail",
              0, -1,
              ops::SectionSchema{
                  "health", "a backup check",
                  with_common_keys({
                      ops::SectionKey("dir", ops::KeyType::path,
                                      "the store: DIR/NAME/ (default: opsbackup's, dir in [backup] of ops.conf)")
                          .with_option("dir", "DIR"),
                      ops::SectionKey("max_age", ops::KeyType::duration,
                                      "critical when the newest backup is older (default 26h)")
                          .with_option("max-age", "DURATION")
                          .with_default("26h"),
                  })},
              check_backup};
}

}  // namespace opshealth
