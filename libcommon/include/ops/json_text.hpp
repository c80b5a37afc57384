#pragma once
// JSON files (opsbackup's manifests and last-run record, opsarchive's
// journals) written and read with one-line messages: nlohmann's exceptions carry a tag
// ("[json.exception.parse_error.101] …") that a user has no use for, and its
// dump() throws on text that is not UTF-8 (a path or a server's message).

#include <ops/output.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace ops {

// nlohmann's message without its "[json.exception.….NNN] " tag: the reader
// of a one-line reason wants the line and column, not the library's id.
std::string json_error_text(const nlohmann::json::exception& e);

// j.dump(2) plus a newline; bytes that are not UTF-8 become U+FFFD instead
// of failing the write (they are in names and messages, shown to people).
std::string json_file_text(const nlohmann::ordered_json& j);

// The rows of `table` as an array of objects keyed by column name (an empty
// cell is null): what Table::print writes for --format json, for a report
// that puts tables inside a larger document.
nlohmann::ordered_json table_json(const Table& table);

}  // namespace ops
