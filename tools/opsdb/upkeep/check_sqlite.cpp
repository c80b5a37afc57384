// opsdb check on SQLite: PRAGMA integrity_check of the whole file, once.
// integrity_check(TABLE) alone would miss what belongs to no table — a
// broken free-page list, pages no b-tree reaches — so the file is checked
// whole, and only when it finds problems is each table checked on its own
// (SQLite 3.33+) to name the table a problem belongs to. foreign_key_check
// findings are warnings: rows whose parent row is gone, not a broken file.
#include "opsdb/upkeep/check.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace opsdb::check {

namespace {

using ops::db::Connection;
using ops::db::SqlError;

// What SQLite says of a file it cannot read as a database.
bool is_corruption(const SqlError& e) {
  const std::string_view m = e.what();
  return m.find("malformed") != std::string_view::npos || m.find("not a database") != std::string_view::npos;
}

// integrity_check(TABLE) from 3.33.0.
bool checks_one_table() {
  const std::string v = ops::db::sqlite_library_version();
  int major = 0, minor = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), major);
  if (r.ec != std::errc() || r.ptr == v.data() + v.size()) return false;
  std::from_chars(r.ptr + 1, v.data() + v.size(), minor);
  return std::pair(major, minor) >= std::pair(3, 33);
}

// The lines of integrity_check's answer. SQLite may give them in one row,
// one a line, then stop with "database disk image is malformed" where a
// page cannot be read at all: what came before is kept, and that is a line.
std::vector<std::string> lines_of(Connection& db, const std::string& sql) {
  std::vector<std::string> lines;
  try {
    auto rows = db.query(sql);
    while (rows->next()) {
      const std::string_view text = rows->get(0).value_or("");
      for (std::size_t at = 0; at <= text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        if (end > at) lines.emplace_back(text.substr(at, end - at));
        at = end + 1;
      }
    }
  } catch (const SqlError& e) {
    if (!is_corruption(e)) throw;
    lines.push_back(e.server_message());
  }
  return lines;
}

// The heading SQLite puts above the problems of each attached database.
bool is_heading(std::string_view line) { return line.starts_with("*** in database "); }

// The b-tree tables of the file, SQLite's own ones too: a problem may be in any.
std::vector<std::string> btree_tables(Connection& db) {
  std::vector<std::string> names;
  auto rows = db.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage <> 0 ORDER BY name");
  while (rows->next()) names.push_back(rows->get_string(0));
  return names;
}

// Before SQLite 3.46 a table whose name is a number was taken for the
// number of problems to report: such a table cannot be checked alone.
bool numeric(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// N of "Page N is never used".
std::optional<long> unused_page(std::string_view text) {
  constexpr std::string_view head = "Page ", tail = " is never used";
  if (!text.starts_with(head) || !text.ends_with(tail)) return std::nullopt;
  const std::string_view digits = text.substr(head.size(), text.size() - head.size() - tail.size());
  long page = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), page);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
  return page;
}

// "5-6, 10, 12-13": pages in the order SQLite gave them (ascending).
std::string page_ranges(const std::vector<long>& pages) {
  std::vector<std::string> ranges;
  for (std::size_t i = 0; i < pages.size();) {
    std::size_t j = i;
    while (j + 1 < pages.size() && pages[j + 1] == pages[j] + 1) ++j;
    ranges.push_back(j == i ? std::to_string(pages[i]) : fmt::format("{}-{}", pages[i], pages[j]));
    i = j + 1;
  }
  return fmt::format("{}", fmt::join(ranges, ", "));
}

}  // namespace

std::vector<std::string> sqlite_statements() {
  return {"PRAGMA integrity_check", "-- on problems, PRAGMA integrity_check(TABLE) of each table names their tables",
          "PRAGMA foreign_key_check"};
}

std::vector<SqliteProblem> attribute(const std::vector<std::string>& file_lines,
                                     const std::vector<std::pair<std::string, std::vector<std::string>>>& table_lines) {
  std::vector<SqliteProblem> problems;
  for (const std::string& line : file_lines) {
    if (line == "ok" || is_heading(line)) continue;
    SqliteProblem p{"", line};
    for (const auto& [table, lines] : table_lines)
      if (std::find(lines.begin(), lines.end(), line) != lines.end()) {
        p.table = table;
        break;
      }
    problems.push_back(std::move(p));
  }
  return problems;
}

TableOutcome sqlite_outcome(const std::vector<SqliteProblem>& problems, const std::vector<SqliteOrphan>& orphans) {
  TableOutcome out;
  out.result = "ok";
  std::vector<std::string> parts;
  if (!problems.empty()) {
    out.status = ops::Status::critical;
    out.result = "corrupt";
    std::vector<std::string> lines;
    // "Page N is never used", often by the hundred once a b-tree page is
    // lost: one line of page ranges per table (or the file), where the first was.
    std::map<std::string, std::pair<std::size_t, std::vector<long>>> unused;
    for (const SqliteProblem& p : problems) {
      const std::string where = p.table.empty() ? "file" : "table " + p.table;
      if (auto page = unused_page(p.text)) {
        auto [it, fresh] = unused.try_emplace(where, lines.size(), std::vector<long>{});
        if (fresh) lines.emplace_back();
        it->second.second.push_back(*page);
        continue;
      }
      lines.push_back(fmt::format("{}: {}", where, p.text));
    }
    for (const auto& [where, at_pages] : unused) {
      const auto& [at, pages] = at_pages;
      lines[at] = pages.size() == 1 ? fmt::format("{}: Page {} is never used", where, pages.front())
                                    : fmt::format("{}: pages never used: {}", where, page_ranges(pages));
    }
    parts.push_back(fmt::format("integrity_check found {} problem{}: {}", problems.size(),
                                problems.size() == 1 ? "" : "s", fmt::join(lines, "; ")));
  }
  // Rows of one table missing their parent in another, by (table, parent).
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> groups;
  for (const SqliteOrphan& o : orphans) groups[{o.table, o.parent}].push_back(o.rowid);
  for (const auto& [key, rowids] : groups) {
    constexpr std::size_t shown = 5;
    const std::vector<std::string> some(rowids.begin(), rowids.begin() + std::min(shown, rowids.size()));
    parts.push_back(fmt::format("foreign_key_check: {} row{} of {} with no parent row in {} (rowid {}{})",
                                rowids.size(), rowids.size() == 1 ? "" : "s", key.first, key.second,
                                fmt::join(some, ", "), rowids.size() > shown ? ", …" : ""));
  }
  if (!groups.empty()) out.status = ops::worst(out.status, ops::Status::warning);
  out.detail = parts.empty() ? "integrity_check and foreign_key_check: ok" : fmt::format("{}", fmt::join(parts, "; "));
  return out;
}

TableOutcome check_sqlite(Connection& db) {
  std::vector<SqliteProblem> problems;
  try {
    const std::vector<std::string> file = lines_of(db, "PRAGMA integrity_check");
    std::vector<std::pair<std::string, std::vector<std::string>>> tables;
    if (file != std::vector<std::string>{"ok"} && checks_one_table()) {
      for (const std::string& name : btree_tables(db)) {
        if (numeric(name)) continue;
        tables.emplace_back(name, lines_of(db, "PRAGMA integrity_check(" + db.quote_identifier(name) + ")"));
      }
    }
    problems = attribute(file, tables);
  } catch (const SqlError& e) {
    // A file so damaged that SQLite gives up reading it; "database is
    // locked" and other errors go on to the runner.
    if (!is_corruption(e)) throw;
    problems.push_back({"", e.server_message()});
  }
  std::vector<SqliteOrphan> orphans;
  try {
    auto rows = db.query("PRAGMA foreign_key_check");
    while (rows->next())
      orphans.push_back({rows->get_string(0), std::string(rows->get(1).value_or("?")), rows->get_string(2)});
  } catch (const SqlError& e) {
    // A damaged file has said so already; anything else is the runner's.
    if (problems.empty() || !is_corruption(e)) throw;
  }
  return sqlite_outcome(problems, orphans);
}

}  // namespace opsdb::check
