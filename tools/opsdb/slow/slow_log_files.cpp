// Slow log files through libcommon's forward log reader: plain or
// compressed (told by their first bytes), with their rotated predecessors
// when asked, oldest first, so that "the slowest call" is the first of equals.
#include "opsdb/slow/slow_log.hpp"
#include "opsdb/slow/sql_fingerprint.hpp"
#include "opsdb/slow/statement_sources.hpp"

#include <ops/clock.hpp>
#include <ops/log_reader.hpp>

namespace opsdb {

SlowLogRead read_slow_logs(const std::vector<std::filesystem::path>& files, bool rotated, StatementTally& tally,
                           ops::Warnings& warnings) {
  SlowLogRead read;
  for (const auto& file : files) {
    SlowLogParser parser([&](SlowLogEntry&& e) {
      ++read.entries;
      StatementStats s;
      s.database = std::move(e.schema);
      s.query = sql_fingerprint(e.statement, SqlDialect::mysql);
      s.calls = 1;
      s.total = s.max = s.example_time = e.query_time;
      s.rows = e.rows_sent + e.rows_affected;
      s.rows_examined = e.rows_examined;
      s.example = std::move(e.statement);
      tally.add(std::move(s));
    });
    ops::LogReadOptions options;
    options.rotated = rotated;
    options.max_line = kStatementBytes;
    std::string current;  // an entry never runs on from one file into the next
    const ops::LogReadStats stats = ops::read_log_forward(file, ops::now(), options, [&](const ops::LogLine& line) {
      if (line.file != current) {
        parser.finish();
        current = std::string(line.file);
      }
      parser.line(line.text);
      return true;
    });
    parser.finish();
    for (const auto& error : stats.errors) warnings.add("{}", error);
    read.files.insert(read.files.end(), stats.files.begin(), stats.files.end());
    if (parser.skipped())
      warnings.add("{}: {} statements without a Query_time were left out (is it a MySQL/MariaDB slow query log?)",
                   file.string(), parser.skipped());
  }
  return read;
}

}  // namespace opsdb
