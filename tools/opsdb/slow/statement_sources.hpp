#pragma once
// Where `opsdb slow` finds its statements: the server's own sums
// (PostgreSQL's pg_stat_statements, MySQL/MariaDB's performance_schema
// digests) or slow log files. Each adds to a StatementTally; a source that
// is not there is ops::Error (unknown, exit 3) whose hint says how to turn
// it on, word for word.

#include "opsdb/slow/statement_tally.hpp"

#include <ops/db.hpp>
#include <ops/log.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace opsdb {

// pg_stat_statements of the connection's database (the extension's view
// lists every database's; only this one's are taken).
void read_pg_statements(ops::db::Connection& db, StatementTally& tally);

// performance_schema.events_statements_summary_by_digest, of the DSN's
// database when it names one, else of all.
void read_mysql_digests(ops::db::Connection& db, StatementTally& tally);

struct SlowLogRead {
  std::uint64_t entries = 0;
  std::vector<std::string> files;  // read, in order
};

// Each FILE (gzip, zstd or xz too), and with `rotated` its rotated
// predecessors before it, oldest first.
SlowLogRead read_slow_logs(const std::vector<std::filesystem::path>& files, bool rotated, StatementTally& tally,
                           ops::Warnings& warnings);

}  // namespace opsdb
