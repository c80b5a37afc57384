#pragma once
// A statement with its values masked, so that the same statement run with a
// thousand different ids is one line of `opsdb slow`: "SELECT * FROM users
// WHERE id = 42  -- from the cart" and "select * from users where id=7" are
// both "select * from users where id = ?".
//
//   - comments are dropped (--, /* */, and # on MySQL);
//   - literals become ?: numbers (also a leading minus after an operator),
//     quoted strings (with their E/N/X/B prefix), PostgreSQL's $1 and
//     $tag$…$tag$, MySQL's "…" (a string there, an identifier on PostgreSQL);
//   - a list of values is one ?+: IN (1, 2, 3) is in (?+), and VALUES (1,
//     'a'), (2, 'b') is values (?+), whatever the count;
//   - words are lower-cased; MySQL's `name` is the word name (so that a
//     performance_schema digest, which quotes every name, reads like the
//     statement), a name that needs its quotes (`order id`, PostgreSQL's
//     "Users") is kept as written; performance_schema's IN (...) is in (?+);
//   - blanks are one space, placed by token (a=1 and a = 1 are the same),
//     a trailing ; dropped.
//
// opsaudit's message masking (opsaudit/logs/message_mask.hpp) is not used:
// it masks log prose (paths, addresses, ids with digits such as a table
// named t2024), keeps the case and the quotes' contents with blanks, and
// knows neither SQL's quoting rules ('' and \' inside a string, "" as an
// identifier on PostgreSQL), comments nor value lists.

#include <cstddef>
#include <string>
#include <string_view>

namespace opsdb {

enum class SqlDialect { postgresql, mysql };

// Bytes of a fingerprint kept; a longer one ends with "…".
inline constexpr std::size_t kFingerprintBytes = 2048;

std::string sql_fingerprint(std::string_view sql, SqlDialect dialect);

// A statement as one line of text output: its blanks and newlines as
// single spaces, control bytes escaped and at most `max` bytes (ops::shown).
std::string sql_one_line(std::string_view sql, std::size_t max = 100);

}  // namespace opsdb
