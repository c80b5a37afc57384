#pragma once
// One archiving of rows: from which table, which rows, to where, how fast,
// and what happened. `opsarchive rows` builds one from its options,
// `opsarchive run` one from each [archive.NAME] section.

#include "opsarchive/rows/destination.hpp"
#include "opsarchive/rows/table_shape.hpp"

#include <ops/db_target.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace opsarchive {

struct RowsJob {
  ops::db::Target source;
  TableRef table;
  std::string where;
  DestinationRequest destination;
  std::size_t batch = 1000;
  std::chrono::milliseconds sleep{0};
  std::optional<std::chrono::seconds> max_runtime;
  std::optional<std::uint64_t> max_rows;
  std::optional<std::chrono::seconds> limit_lag;
  std::optional<ops::db::Target> replica;  // where the lag is read; default: the source
  bool analyze = false;
  bool optimize = false;
  bool dry_run = false;
  bool progress = false;  // a bar on stderr when it is a terminal
};

struct RowsOutcome {
  std::string destination;  // as Destination::describe() says
  std::uint64_t rows = 0;
  std::uint64_t batches = 0;
  double seconds = 0;
  // Where the time went (--statistics).
  double select_seconds = 0, copy_seconds = 0, delete_seconds = 0, commit_seconds = 0, pause_seconds = 0;
  std::string stopped = "done";  // done, max-rows, max-runtime
};

// Checks everything (exit 3 before any change), then archives batch by
// batch. A dry run writes its report to `dry_run_report` and changes nothing.
RowsOutcome archive_rows(const RowsJob& job, std::ostream& dry_run_report);

}  // namespace opsarchive
