// libFuzzer target for opsdb slow's reading of outside input: a MySQL or
// MariaDB slow query log split into lines for the entry parser
// (slow/slow_log.hpp), and each statement it hands over fingerprinted in
// both dialects (slow/sql_fingerprint.hpp). Whatever the bytes: no crash,
// leak or undefined behaviour, a statement within kStatementBytes, and a
// fingerprint within kFingerprintBytes (plus its "…").
#include "opsdb/slow/slow_log.hpp"
#include "opsdb/slow/sql_fingerprint.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto check = [](std::string_view statement) {
    for (auto dialect : {opsdb::SqlDialect::mysql, opsdb::SqlDialect::postgresql})
      if (opsdb::sql_fingerprint(statement, dialect).size() > opsdb::kFingerprintBytes + 3) std::abort();
    (void)opsdb::sql_one_line(statement);
  };
  opsdb::SlowLogParser parser([&](opsdb::SlowLogEntry&& e) {
    if (e.statement.empty() || e.statement.size() > opsdb::kStatementBytes + 1) std::abort();
    check(e.statement);
  });
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    parser.line(text.substr(start, end - start));
    start = end + 1;
  }
  parser.finish();
  check(text);  // the whole input as one statement too
  return 0;
}
