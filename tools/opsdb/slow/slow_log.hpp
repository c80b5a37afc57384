#pragma once
// MySQL's and MariaDB's slow query log, one entry at a time:
//
//   # Time: 2026-12-06T18:00:00.123456Z        (MySQL 5.7+; MariaDB: "# Time: 261206 18:00:00",
//   # User@Host: app[app] @ localhost []  Id: 8   and only when the second changed)
//   # Thread_id: 31  Schema: app  QC_hit: No    (MariaDB)
//   # Query_time: 2.000193  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 0
//   # Rows_affected: 0  Bytes_sent: 63           (MariaDB)
//   use app;
//   SET timestamp=1733508000;
//   SELECT SLEEP(2);
//
// An entry begins at "# Time:" or "# User@Host:"; the "# " lines after it
// are "Name: value" pairs; the lines after those are the statement (which
// may span lines, and hold a "# " comment line of its own), up to the next
// entry. "use DB;" and "SET timestamp=N;" before the statement are the
// server's notes, not the client's statement. The server's banner after a
// restart or FLUSH LOGS ("…, Version: … started with:", "Tcp port: …",
// "Time  Id Command  Argument") ends an entry and is skipped, as are lines
// before the first entry (a log read from the middle).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace opsdb {

struct SlowLogEntry {
  double query_time = 0;  // seconds
  std::int64_t rows_sent = 0;
  std::int64_t rows_examined = 0;
  std::int64_t rows_affected = 0;  // MariaDB only; 0 on MySQL
  std::string user;                // "app", from User@Host
  std::string schema;              // Schema:, or the last "use DB;"; may be empty
  std::optional<std::int64_t> timestamp;  // SET timestamp=N (Unix seconds)
  std::string statement;           // without the trailing newline
};

// Bytes of one statement kept (its start): a logged 100 MB INSERT is not
// held whole.
inline constexpr std::size_t kStatementBytes = 64 * 1024;

class SlowLogParser {
 public:
  explicit SlowLogParser(std::function<void(SlowLogEntry&&)> each) : each_(std::move(each)) {}

  // One line, without its newline.
  void line(std::string_view text);
  // The end of the input: hands over the last entry.
  void finish();

  // Entries with a statement but no Query_time (not a slow log, or cut): not handed over.
  std::uint64_t skipped() const noexcept { return skipped_; }

 private:
  enum class Phase { outside, header, statement };
  void begin();
  void end();
  void header_fields(std::string_view text);

  std::function<void(SlowLogEntry&&)> each_;
  Phase phase_ = Phase::outside;
  bool has_user_ = false;
  bool has_time_ = false;  // Query_time seen
  std::string schema_;     // the session's current database, kept across entries of one log
  SlowLogEntry entry_;
  std::uint64_t skipped_ = 0;
};

}  // namespace opsdb
