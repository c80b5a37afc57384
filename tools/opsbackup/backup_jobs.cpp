#include "opsbackup/backup_jobs.hpp"

#include "opsbackup/store/layout.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

#include <iterator>
#include <limits>

namespace opsbackup {

namespace {

// The retention rules: key, option and field, in one table.
struct KeepRule {
  const char* key;
  const char* option;
  int KeepPolicy::*field;
};
constexpr KeepRule kKeepRules[] = {
    {"keep_last", "keep-last", &KeepPolicy::last},          {"keep_hourly", "keep-hourly", &KeepPolicy::hourly},
    {"keep_daily", "keep-daily", &KeepPolicy::daily},       {"keep_weekly", "keep-weekly", &KeepPolicy::weekly},
    {"keep_monthly", "keep-monthly", &KeepPolicy::monthly}, {"keep_yearly", "keep-yearly", &KeepPolicy::yearly},
};

ops::SectionSchema make_schema() {
  using ops::KeyType;
  using Key = ops::SectionKey;
  constexpr int kMaxInt = std::numeric_limits<int>::max();
  ops::SectionSchema schema{"backup", "a [backup.NAME] section", {
    Key("database", KeyType::text, "the database to back up: a [db.NAME] name or a DSN")
        .with_check(ops::database_check()),
    Key("password_file", KeyType::path, "password for the database (first line of FILE)")
        .with_option("password-file", "FILE"),
    Key("source", KeyType::list, "a directory to archive, stored under its own name (repeatable)")
        .with_option("source", "DIR"),
    Key("exclude", KeyType::list,
        "leave out what matches GLOB: its path in the archive, inside its source, or its name (repeatable)")
        .with_option("exclude", "GLOB"),
    Key("one_file_system", KeyType::flag, "stay on each source's filesystem").with_option("one-file-system,x"),
    Key("compress", KeyType::compression, "gzip (default), zstd, xz or none").with_option("compress", "FORMAT"),
    Key("level", KeyType::integer, "compression level (gzip 1-9, zstd 1-19, xz 0-9)")
        .with_option("level", "N")
        .with_range(0, kMaxInt),
    Key("pg_format", KeyType::text, "PostgreSQL: plain (default, SQL) or custom (pg_restore)")
        .with_option("pg-format", "FORMAT")
        .with_default("plain")
        .with_check(ops::word_check({"plain", "custom"})),
    Key("globals", KeyType::flag, "also roles and grants (pg_dumpall --globals-only; MySQL users and grants)")
        .with_option("globals"),
  }};
  for (const auto& rule : kKeepRules)
    schema.keys.push_back(Key(rule.key, KeyType::integer, "keep the newest backup of each of the last N periods (-1: all)")
                              .with_option(rule.option, "N")
                              .with_range(-1, kMaxInt));
  return schema;
}

BackupJob read_job(const ops::Config& config, const std::string& name) {
  const ops::SectionValues values = ops::read_section(config, backup_job_schema(), name);
  BackupJob job;
  job.name = name;
  job.where = values.where();
  try {
    check_backup_name(name);
  } catch (const ops::Error& e) {
    ops::fail_usage(job.where + ": " + e.what(), e.hint());
  }
  job.database = values.text("database").value_or("");
  job.password_file = values.text("password_file").value_or("");
  job.sources = values.list("source");
  job.excludes = values.list("exclude");
  job.one_file_system = values.flag("one_file_system");
  job.compress = values.compression("compress");
  if (auto level = values.integer("level")) job.level = static_cast<int>(*level);
  job.pg_format = *values.text("pg_format");
  job.globals = values.flag("globals");
  job.keep = keep_rules(values);
  if (job.database.empty() == job.sources.empty())
    ops::fail_usage(fmt::format("{}: [backup.{}] needs either 'database' or 'source' (not both)", job.where, name));
  if (job.pg_format != "plain" && job.pg_format != "custom")
    ops::fail_usage(fmt::format("{}: invalid pg_format '{}' in [backup.{}] (plain or custom)",
                                values.where("pg_format"), job.pg_format, name));
  return job;
}

}  // namespace

const ops::SectionSchema& backup_job_schema() {
  static const ops::SectionSchema schema = make_schema();
  return schema;
}

std::vector<std::string> keep_keys() {
  std::vector<std::string> keys;
  for (const auto& rule : kKeepRules) keys.emplace_back(rule.key);
  return keys;
}

std::optional<KeepPolicy> keep_rules(const ops::SectionValues& values, bool command_line_only) {
  KeepPolicy policy;
  bool any = false;
  for (const auto& rule : kKeepRules) {
    if (!values.given(rule.key)) continue;
    if (command_line_only && !values.where(rule.key).starts_with("--")) continue;
    policy.*rule.field = static_cast<int>(*values.integer(rule.key));
    any = true;
  }
  if (!any) return std::nullopt;
  return policy;
}

void check_backup_sections(const ops::Config& config) {
  for (const auto& name : config.named_sections("backup")) read_job(config, name);
}

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
