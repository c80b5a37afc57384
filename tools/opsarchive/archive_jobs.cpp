#include "archive_jobs.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <limits>

namespace opsarchive {

namespace {

constexpr const char* kRowsKeys =
    "database, password_file, table, where, to_table, to_db, to_file, file_format, purge, create, batch, sleep, "
    "max_runtime, max_rows, limit_lag, replica, analyze, optimize";

constexpr const char* kFilesKeys =
    "dir, older_than, match, compress, level, into_tar, delete_older_than, allow_shared_dirs";

}  // namespace

std::vector<ArchiveSection> read_archive_sections(const ops::Config& config) {
  std::vector<ArchiveSection> sections;
  for (const auto& name : config.named_sections("archive")) {
    const ops::ConfigSection& s = *config.section("archive." + name);
    sections.push_back({name, config.where(s.line), s.entries});
  }
  if (sections.empty())
    ops::fail_usage(fmt::format("no [archive.NAME] section in {}",
                                config.path().empty() ? "the configuration" : config.path().string()),
                    "add e.g. [archive.audit] with database, table, where and to_table, or [archive.logs] with dir "
                    "and older_than");
  return sections;
}

FilesJob read_files_job(const ops::Config& config, const ArchiveSection& section) {
  FilesJob job;
  for (const auto& e : section.entries) {
    const std::string where = config.where(e.line);
    auto duration = [&] {
      try {
        return ops::parse_duration(e.value);
      } catch (const ops::Error& err) {
        ops::fail_usage(fmt::format("{}: {}: {}", where, e.key, err.what()));
      }
    };
    try {
      if (e.key == "dir") job.dirs.emplace_back(e.value);
      else if (e.key == "older_than") job.older_than = duration();
      else if (e.key == "match") job.match.push_back(e.value);
      else if (e.key == "compress") {
        if (e.value == "yes" || e.value == "true") job.compress = ops::Compression::gzip;
        else if (e.value != "no" && e.value != "false") job.compress = ops::parse_compression(e.value);
      } else if (e.key == "level") job.level = static_cast<int>(config.entry_integer(e, 1, std::numeric_limits<int>::max()));
      else if (e.key == "into_tar") job.into_tar = e.value;
      else if (e.key == "delete_older_than") job.delete_older_than = duration();
      else if (e.key == "allow_shared_dirs") job.allow_shared_dirs = config.entry_bool(e);
      else
        ops::fail_usage(fmt::format("{}: unknown key '{}' in [archive.{}]", where, e.key, section.name),
                        std::string("the keys of a files section are: ") + kFilesKeys);
    } catch (const ops::Error& err) {
      if (err.status() != ops::Status::unknown || std::string(err.what()).rfind(where, 0) == 0) throw;
      ops::fail_usage(fmt::format("{}: {}", where, err.what()), err.hint());
    }
  }
  return job;
}

bool is_rows_section(const ArchiveSection& section) {
  for (const auto& e : section.entries)
    if (e.key == "table") return true;
  return false;
}

namespace {

// One key of a rows section into `s`; false when it is not a rows key.
bool apply_rows_key(RowsSettings& s, const ops::Config& config, const ops::ConfigEntry& e) {
  const std::string& v = e.value;
  if (e.key == "database") s.db = v;
  else if (e.key == "password_file") s.password_file = v;
  else if (e.key == "table") s.table = v;
  else if (e.key == "where") s.where = v;
  else if (e.key == "to_table") s.to_table = v;
  else if (e.key == "to_db") s.to_db = v;
  else if (e.key == "to_file") s.to_file = v;
  else if (e.key == "file_format") s.file_format = v;
  else if (e.key == "purge") s.purge = config.entry_bool(e);
  else if (e.key == "create") s.create = config.entry_bool(e);
  else if (e.key == "batch") s.batch = config.entry_integer(e, 1);
  else if (e.key == "sleep") s.sleep = v;
  else if (e.key == "max_runtime") s.max_runtime = v;
  else if (e.key == "max_rows") s.max_rows = config.entry_integer(e, 1);
  else if (e.key == "limit_lag") s.limit_lag = v;
  else if (e.key == "replica") s.replica = v;
  else if (e.key == "analyze") s.analyze = config.entry_bool(e);
  else if (e.key == "optimize") s.optimize = config.entry_bool(e);
  else return false;
  return true;
}

}  // namespace

RowsSettings read_rows_settings(const ops::Config& config, const ArchiveSection& section) {
  RowsSettings s;
  // [archive] gives defaults of how to archive (not what): batch, sleep, limits.
  if (const ops::ConfigSection* defaults = config.section("archive"))
    for (const auto& e : defaults->entries)
      if (e.key == "batch" || e.key == "sleep" || e.key == "max_runtime" || e.key == "max_rows" ||
          e.key == "limit_lag" || e.key == "replica" || e.key == "analyze" || e.key == "optimize")
        apply_rows_key(s, config, e);
  for (const auto& e : section.entries)
    if (!apply_rows_key(s, config, e))
      ops::fail_usage(fmt::format("{}: unknown key '{}' in [archive.{}]", config.where(e.line), e.key, section.name),
                      std::string("the keys of a rows section are: ") + kRowsKeys);
  return s;
}

}  // namespace opsarchive
