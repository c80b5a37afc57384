#pragma once
// The [archive.NAME] sections of ops.conf: what `opsarchive run` does. A
// section with `table` archives rows (the keys of rows_schema(), the options
// of `opsarchive rows`); a section with `dir` ages files (the keys of
// files_schema(), the options of `opsarchive files`). Every section is read
// and checked before any runs.

#include "opsarchive/files/files_job.hpp"
#include "opsarchive/rows/rows_job.hpp"

#include <ops/config.hpp>
#include <ops/log.hpp>

#include <optional>
#include <string>
#include <vector>

namespace opsarchive {

struct ArchiveJob {
  std::string name;
  std::string where;  // "/etc/ops/ops.conf:12"
  std::optional<RowsJob> rows;
  std::optional<FilesJob> files;
};

// Every [archive.NAME] in file order, checked; exit 3 for none at all, or
// for the first section that is wrong: a key or value names its own line,
// anything else the section's line and name ("ops.conf:12: [archive.audit]:
// no destination").
// Every key and value of every [archive.NAME], checked as read_archive_jobs
// checks them (exit 3 naming the line), for every subcommand when the file is
// read; what a whole job means (its destination, its directories) is left to
// `opsarchive run`.
void check_archive_sections(const ops::Config& config);

std::vector<ArchiveJob> read_archive_jobs(const ops::Config& config, bool dry_run, ops::Warnings& warnings);

}  // namespace opsarchive
