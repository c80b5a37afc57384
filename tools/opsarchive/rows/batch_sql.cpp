#include "opsarchive/rows/batch_sql.hpp"

#include <fmt/format.h>

namespace opsarchive {

namespace {

using ops::db::Engine;

std::string joined(const std::vector<std::string>& names) { return fmt::format("{}", fmt::join(names, ", ")); }

std::string tuple(const std::vector<std::string>& names) {
  return names.size() == 1 ? names.front() : "(" + joined(names) + ")";
}

// key > (last key). Row-value comparison where the engine turns it into an
// index range (PostgreSQL, SQLite); MySQL/MariaDB need it spelled out.
std::string after_last(const BatchSql& s, Placeholders& ph) {
  if (s.key.size() == 1) return s.key.front() + " > " + ph.next();
  if (s.engine != Engine::mysql) {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < s.key.size(); ++i) values.push_back(ph.next());
    return tuple(s.key) + " > " + tuple(values);
  }
  // (a, b, c) > (x, y, z) as a > ? OR (a = ? AND (b > ? OR (b = ? AND c > ?))):
  // MySQL's placeholders are anonymous, so a value used twice is bound twice
  // (BatchSql::after_last_order says which value goes where).
  std::string text;
  for (std::size_t i = 0; i + 1 < s.key.size(); ++i) text += fmt::format("{0} > ? OR ({0} = ? AND (", s.key[i]);
  text += s.key.back() + " > ?";
  for (std::size_t i = 0; i + 1 < s.key.size(); ++i) text += "))";
  return "(" + text + ")";
}

}  // namespace

namespace {

std::string next_batch(const BatchSql& b, const std::string& select_list, bool after, std::size_t limit, bool lock) {
  Placeholders ph(b.engine);
  std::string sql = fmt::format("SELECT {} FROM {} WHERE ({})", select_list, b.table, b.where);
  if (after) sql += " AND " + after_last(b, ph);
  sql += fmt::format(" ORDER BY {} LIMIT {}", joined(b.key), limit);
  if (lock && b.engine != Engine::sqlite) sql += " FOR UPDATE";
  return sql;
}

}  // namespace

std::string BatchSql::select(bool whole_rows, bool after, std::size_t limit, bool lock) const {
  return next_batch(*this, joined(whole_rows ? columns : key), after, limit, lock);
}

std::string BatchSql::insert_next_batch(const std::string& dest, const std::vector<std::string>& dest_columns,
                                        bool after, std::size_t limit) const {
  return fmt::format("INSERT INTO {} ({}) {} RETURNING {}", dest, joined(dest_columns),
                     next_batch(*this, joined(dest_columns), after, limit, true), joined(key));
}

std::vector<std::size_t> BatchSql::after_last_order() const {
  std::vector<std::size_t> order;
  if (engine != Engine::mysql || key.size() == 1) {
    for (std::size_t i = 0; i < key.size(); ++i) order.push_back(i);
    return order;
  }
  for (std::size_t i = 0; i + 1 < key.size(); ++i) order.insert(order.end(), {i, i});
  order.push_back(key.size() - 1);
  return order;
}

std::string BatchSql::key_in(std::size_t rows, Placeholders& ph) const {
  std::string list;
  list.reserve(rows * key.size() * 5);
  for (std::size_t r = 0; r < rows; ++r) {
    if (r) list += ", ";
    if (key.size() == 1) {
      list += ph.next();
      continue;
    }
    std::vector<std::string> values;
    for (std::size_t i = 0; i < key.size(); ++i) values.push_back(ph.next());
    list += tuple(values);
  }
  if (key.size() == 1) return fmt::format("{} IN ({})", key.front(), list);
  // SQLite reads a list of row values only as VALUES.
  if (engine == Engine::sqlite) return fmt::format("{} IN (VALUES {})", tuple(key), list);
  return fmt::format("{} IN ({})", tuple(key), list);
}

std::string BatchSql::delete_keys(std::size_t rows) const {
  Placeholders ph(engine);
  return fmt::format("DELETE FROM {} WHERE {}", table, key_in(rows, ph));
}

std::string BatchSql::insert_select(const std::string& dest, const std::vector<std::string>& dest_columns,
                                    std::size_t rows) const {
  Placeholders ph(engine);
  return fmt::format("INSERT INTO {} ({}) SELECT {} FROM {} WHERE {}", dest, joined(dest_columns),
                     joined(dest_columns), table, key_in(rows, ph));
}

std::string BatchSql::select_keys(const std::vector<std::string>& select_columns, std::size_t rows) const {
  Placeholders ph(engine);
  return fmt::format("SELECT {} FROM {} WHERE {}", joined(select_columns), table, key_in(rows, ph));
}

std::string BatchSql::count() const { return fmt::format("SELECT count(*) FROM {} WHERE ({})", table, where); }

std::string insert_values(Engine engine, const std::string& dest, const std::vector<std::string>& columns,
                          std::size_t rows, bool idempotent, const std::string& first_key_column) {
  Placeholders ph(engine);
  std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ", dest, joined(columns));
  sql.reserve(sql.size() + rows * columns.size() * 5);
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c) sql += ", ";
      sql += ph.next();
    }
    sql += ')';
  }
  if (idempotent) {
    if (engine == Engine::mysql) sql += fmt::format(" ON DUPLICATE KEY UPDATE {0} = {0}", first_key_column);
    else sql += " ON CONFLICT DO NOTHING";
  }
  return sql;
}

}  // namespace opsarchive
