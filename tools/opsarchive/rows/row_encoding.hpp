#pragma once
// Rows as lines of a file: CSV (RFC 4180; NULL is an empty field, the empty
// string a quoted "" as PostgreSQL's COPY writes them) or JSON lines (one
// object a row, every value the database's text form as a string, NULL as
// null; a value that is not valid UTF-8 becomes {"base64": "…"}).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsarchive {

enum class FileFormat { csv, jsonl };

// "csv" or "jsonl" (also "json"); anything else is an exit-3 error.
FileFormat parse_file_format(std::string_view text);

using RowValues = std::vector<std::optional<std::string>>;

std::string csv_header(const std::vector<std::string>& names);
void append_csv_row(std::string& out, const RowValues& row);
void append_jsonl_row(std::string& out, const std::vector<std::string>& names, const RowValues& row);

}  // namespace opsarchive
