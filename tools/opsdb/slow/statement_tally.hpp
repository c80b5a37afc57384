#pragma once
// The statements of one `opsdb slow` run, whatever their source
// (pg_stat_statements, performance_schema's digests, a slow log), as one
// row per database and fingerprint (slow/sql_fingerprint.hpp): rows that
// differ only in their values, or that the server kept apart (an IN list
// of 3 values and one of 4 on PostgreSQL), are merged. Ranked by what
// --sort names.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opsdb {

struct StatementStats {
  std::string database;
  std::string query;  // the fingerprint
  std::int64_t calls = 0;
  double total = 0;  // seconds
  double max = 0;    // seconds, the slowest call
  std::int64_t rows = 0;                      // sent or changed
  std::optional<std::int64_t> rows_examined;  // MySQL/MariaDB only
  std::string example;                        // the slowest call as written (a log only)
  double example_time = -1;

  double mean() const { return calls ? total / static_cast<double>(calls) : 0; }
};

enum class SlowSort { total, mean, max, calls };

class StatementTally {
 public:
  // Adds one call (a log entry) or a server's sums for one statement.
  void add(StatementStats s);
  std::size_t size() const noexcept { return by_key_.size(); }
  // The first `top` rows (0: all), largest first by `sort`.
  std::vector<StatementStats> ranked(SlowSort sort, std::size_t top) const;

 private:
  std::map<std::pair<std::string, std::string>, StatementStats> by_key_;
};

}  // namespace opsdb
