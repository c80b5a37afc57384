#include "backup_jobs.hpp"

#include "layout.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

#include <limits>

namespace opsbackup {

namespace {

constexpr const char* kKnownKeys =
    "database, password_file, source, exclude, one_file_system, compress, level, pg_format, globals, "
    "keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly";

BackupJob read_job(const ops::Config& config, const std::string& name) {
  const ops::ConfigSection& section = *config.section("backup." + name);
  BackupJob job;
  job.name = name;
  job.where = config.where(section.line);
  try {
    check_backup_name(name);
  } catch (const ops::Error& e) {
    ops::fail_usage(job.where + ": " + e.what(), e.hint());
  }
  KeepPolicy keep;
  bool keep_set = false;
  for (const auto& e : section.entries) {
    const std::string where = config.where(e.line);
    const std::string& v = e.value;
    auto keep_rule = [&](int& field) {
      field = static_cast<int>(config.entry_integer(e, -1, std::numeric_limits<int>::max()));
      keep_set = true;
    };
    if (e.key == "database") job.database = v;
    else if (e.key == "password_file") job.password_file = v;
    else if (e.key == "source") job.sources.push_back(v);
    else if (e.key == "exclude") job.excludes.push_back(v);
    else if (e.key == "one_file_system") job.one_file_system = config.entry_bool(e);
    else if (e.key == "compress") job.compress = v;
    else if (e.key == "level") job.level = static_cast<int>(config.entry_integer(e, 0, std::numeric_limits<int>::max()));
    else if (e.key == "pg_format") job.pg_format = v;
    else if (e.key == "globals") job.globals = config.entry_bool(e);
    else if (e.key == "keep_last") keep_rule(keep.last);
    else if (e.key == "keep_hourly") keep_rule(keep.hourly);
    else if (e.key == "keep_daily") keep_rule(keep.daily);
    else if (e.key == "keep_weekly") keep_rule(keep.weekly);
    else if (e.key == "keep_monthly") keep_rule(keep.monthly);
    else if (e.key == "keep_yearly") keep_rule(keep.yearly);
    else
      ops::fail_usage(fmt::format("{}: unknown key '{}' in [backup.{}]", where, e.key, name),
                      std::string("the keys of a [backup.NAME] section are: ") + kKnownKeys);
  }
  if (keep_set) job.keep = keep;
  if (job.database.empty() == job.sources.empty())
    ops::fail_usage(fmt::format("{}: [backup.{}] needs either 'database' or 'source' (not both)", job.where, name));
  if (job.pg_format != "plain" && job.pg_format != "custom")
    ops::fail_usage(fmt::format("{}: invalid pg_format '{}' in [backup.{}] (plain or custom)", job.where, job.pg_format, name));
  return job;
}

}  // namespace

std::vector<BackupJob> read_backup_jobs(const ops::Config& config) {
  std::vector<BackupJob> jobs;
  for (const auto& name : config.named_sections("backup")) jobs.push_back(read_job(config, name));
  if (jobs.empty())
    ops::fail_usage(fmt::format("no [backup.NAME] section in {}", config.path().empty() ? "the configuration"
                                                                                       : config.path().string()),
                    "add e.g. [backup.app] with database = app, or [backup.uploads] with source = /var/www/uploads");
  return jobs;
}

}  // namespace opsbackup
