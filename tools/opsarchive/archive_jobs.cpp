#include "opsarchive/archive_jobs.hpp"

#include "opsarchive/files/files_options.hpp"
#include "opsarchive/rows/rows_options.hpp"

#include <ops/error.hpp>
#include <ops/sections.hpp>

#include <fmt/format.h>

namespace opsarchive {

namespace {

bool is_rows_section(const ops::ConfigSection& section) {
  for (const auto& e : section.entries)
    if (e.key == "table") return true;
  return false;
}

// Checks a job read from its section: what goes wrong is said of the section.
template <typename F>
void check_section(const ArchiveJob& job, F&& check) {
  try {
    check();
  } catch (const ops::Error& e) {
    if (e.status() != ops::Status::unknown) throw;
    ops::fail_usage(fmt::format("{}: [archive.{}]: {}", job.where, job.name, e.what()), e.hint());
  }
}

}  // namespace

void check_archive_sections(const ops::Config& config) {
  for (const auto& name : config.named_sections("archive")) {
    const ops::ConfigSection& section = *config.section("archive." + name);
    ops::read_section(config, is_rows_section(section) ? rows_schema() : files_schema(), name);
  }
}

std::vector<ArchiveJob> read_archive_jobs(const ops::Config& config, bool dry_run, ops::Warnings& warnings) {
  std::vector<ArchiveJob> jobs;
  for (const auto& name : config.named_sections("archive")) {
    const ops::ConfigSection& section = *config.section("archive." + name);
    ArchiveJob job{name, config.where(section.line), std::nullopt, std::nullopt};
    if (is_rows_section(section)) {
      const RowsSettings settings = rows_settings(ops::read_section(config, rows_schema(), name));
      check_section(job, [&] {
        job.rows = make_rows_job(config, settings, "", warnings);
        job.rows->dry_run = dry_run;
      });
    } else {
      FilesJob files = files_settings(ops::read_section(config, files_schema(), name));
      files.dry_run = dry_run;
      check_section(job, [&] {
        if (files.dirs.empty()) ops::fail_usage("a section needs 'table' (rows) or 'dir' (files)");
        check_files_job(files);
      });
      job.files = std::move(files);
    }
    jobs.push_back(std::move(job));
  }
  if (jobs.empty())
    ops::fail_usage(fmt::format("no [archive.NAME] section in {}",
                                config.path().empty() ? "the configuration" : config.path().string()),
                    "add e.g. [archive.audit] with database, table, where and to_table, or [archive.logs] with dir "
                    "and older_than");
  return jobs;
}

}  // namespace opsarchive
