// opsdb check on MySQL/MariaDB: CHECK TABLE, whose verdict comes in result
// rows rather than as an error. A storage engine that cannot check (MEMORY,
// ARCHIVE…) says so in a note: the table is "not-checkable", not failed.
#include "opsdb/upkeep/check.hpp"

#include <ops/text.hpp>

#include <fmt/format.h>

namespace opsdb::check {

namespace {

bool is(const MysqlRow& row, std::string_view type) { return ops::ascii_lower(row.type) == type; }

// MyISAM pads its figures: "Size of datafile is:     39900         Should be: 40000".
std::string squeezed(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' || (!out.empty() && out.back() != ' ')) out += c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool says(const MysqlRow& row, std::string_view words) {
  return ops::ascii_lower(row.text).find(words) != std::string::npos;
}

}  // namespace

std::vector<std::string> mysql_statements(const ops::db::Table& table, const VerbOptions& options) {
  return {"-- a READ lock: writes to " + table.display() + " wait until the check ends",
          fmt::format("CHECK TABLE {}{}", table.quoted(ops::db::Engine::mysql), options.extended ? " EXTENDED" : "")};
}

TableOutcome mysql_outcome(const std::vector<MysqlRow>& rows) {
  TableOutcome out;
  out.result = "ok";
  std::vector<std::string> said;
  bool engine_error = false;  // "error": what the storage engine found
  bool sql_error = false;     // "Error": the statement itself failed (no such table…)
  bool cannot_check = false;
  for (const MysqlRow& row : rows) {
    if (is(row, "error") && says(row, "lock wait timeout exceeded"))
      throw ops::db::SqlError(row.text, "HY000");
    if (is(row, "status")) {
      // The last row: OK, Corrupt, Operation failed, Table is already up to date.
      if (says(row, "corrupt")) engine_error = true;
      else if (says(row, "operation failed")) sql_error = true;
      continue;
    }
    if (is(row, "note") && says(row, "doesn't support check")) cannot_check = true;
    if (row.type == "Error") sql_error = true;
    else if (is(row, "error")) engine_error = true;
    else if (is(row, "warning")) out.status = ops::worst(out.status, ops::Status::warning);
    said.push_back(fmt::format("{}: {}", ops::ascii_lower(row.type), squeezed(row.text)));
  }
  if (engine_error) {
    out.status = ops::Status::critical;
    out.result = "corrupt";
  } else if (sql_error) {
    out.status = ops::Status::critical;
    out.result = "failed";
  } else if (cannot_check) {
    out.result = "not-checkable";
  }
  out.detail = fmt::format("{}", fmt::join(said, "; "));
  return out;
}

TableOutcome check_mysql(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions& options) {
  std::vector<MysqlRow> rows;
  // Columns Table, Op, Msg_type, Msg_text.
  auto cursor = db.query(fmt::format("CHECK TABLE {}{}", table.quoted(db.engine()), options.extended ? " EXTENDED" : ""));
  while (cursor->next()) rows.push_back({std::string(cursor->get(2).value_or("")), std::string(cursor->get(3).value_or(""))});
  return mysql_outcome(rows);
}

}  // namespace opsdb::check
