#include "opsarchive/rows/table_shape.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace opsarchive {

namespace {

using ops::db::Engine;

bool truthy(std::optional<std::string_view> v) { return v && (*v == "t" || *v == "1" || *v == "true"); }

std::optional<TableShape> describe_postgres(ops::db::Connection& db, const TableRef& table) {
  auto oid = db.query_value("SELECT to_regclass($1)::oid::text", {table.quoted(Engine::postgresql)});
  if (!oid) return std::nullopt;
  TableShape shape;
  shape.ref = table;
  shape.identity = *oid;
  std::map<std::string, std::string> by_attnum;
  auto cols = db.query(
      "SELECT a.attnum::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "a.atthasdef OR a.attidentity <> '', a.attgenerated <> '' "
      "FROM pg_attribute a WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {*oid});
  while (cols->next()) {
    by_attnum[cols->get_string(0)] = cols->get_string(1);
    shape.columns.push_back({cols->get_string(1), cols->get_string(2), truthy(cols->get(3)), truthy(cols->get(4)),
                             truthy(cols->get(5))});
  }
  cols.reset();
  // Valid unique indexes without expressions or predicates, the primary key first.
  auto indexes = db.query(
      "SELECT i.indisprimary, c.relname, i.indkey::text, i.indnkeyatts::text FROM pg_index i "
      "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::oid AND i.indisunique AND i.indisvalid "
      "AND i.indexprs IS NULL AND i.indpred IS NULL ORDER BY i.indisprimary DESC, i.indnkeyatts, c.relname",
      {*oid});
  while (indexes->next() && shape.key.empty()) {
    std::istringstream attnums(indexes->get_string(2));
    const long keyatts = indexes->get_int64(3);
    std::vector<std::string> key;
    bool usable = true;
    std::string attnum;
    for (long n = 0; n < keyatts && attnums >> attnum; ++n) {
      const std::string& name = by_attnum[attnum];
      const ColumnInfo* c = shape.column(name);
      if (!c || !c->not_null) usable = false;
      key.push_back(name);
    }
    if (!usable || key.empty()) continue;
    shape.key = std::move(key);
    shape.key_source = truthy(indexes->get(0)) ? "primary key" : "unique index " + indexes->get_string(1);
  }
  return shape;
}

std::optional<TableShape> describe_mysql(ops::db::Connection& db, const TableRef& table) {
  const ops::db::Param schema = table.schema.empty() ? ops::db::Param(std::nullopt) : ops::db::Param(table.schema);
  auto identity = db.query_value("SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLES "
                                 "WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
                                 {schema, table.name});
  if (!identity) return std::nullopt;
  TableShape shape;
  shape.ref = table;
  shape.identity = *identity;
  auto cols = db.query(
      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE = 'NO', "
      "COLUMN_DEFAULT IS NOT NULL OR EXTRA LIKE '%auto_increment%', EXTRA LIKE '%GENERATED%' "
      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? "
      "ORDER BY ORDINAL_POSITION",
      {schema, table.name});
  while (cols->next())
    shape.columns.push_back({cols->get_string(0), cols->get_string(1), truthy(cols->get(2)), truthy(cols->get(3)),
                             truthy(cols->get(4))});
  cols.reset();
  auto indexes = db.query(
      "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
      "WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND NON_UNIQUE = 0 "
      "ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX",
      {schema, table.name});
  std::vector<std::pair<std::string, std::vector<std::string>>> unique;
  while (indexes->next()) {
    const std::string index = indexes->get_string(0);
    if (unique.empty() || unique.back().first != index) unique.push_back({index, {}});
    unique.back().second.push_back(indexes->get_string(1));
  }
  for (auto& [index, columns] : unique) {
    const bool usable = std::all_of(columns.begin(), columns.end(), [&](const std::string& name) {
      const ColumnInfo* c = shape.column(name);
      return c && c->not_null;
    });
    if (!usable) continue;
    shape.key = columns;
    shape.key_source = index == "PRIMARY" ? "primary key" : "unique index " + index;
    break;
  }
  return shape;
}

std::optional<TableShape> describe_sqlite(ops::db::Connection& db, const TableRef& table) {
  const std::string schema = table.schema.empty() ? "main" : table.schema;
  TableShape shape;
  shape.ref = table;
  shape.identity = ops::ascii_lower(schema + "." + table.name);  // SQLite folds ASCII case only
  std::vector<std::pair<int, std::string>> primary;
  auto cols = db.query("SELECT name, type, \"notnull\", dflt_value IS NOT NULL, hidden IN (2, 3), pk "
                       "FROM pragma_table_xinfo(?, ?) WHERE hidden <> 1 ORDER BY cid",
                       {table.name, schema});
  while (cols->next()) {
    shape.columns.push_back({cols->get_string(0), cols->get_string(1), truthy(cols->get(2)), truthy(cols->get(3)),
                             truthy(cols->get(4))});
    if (const auto pk = cols->get_int64(5); pk > 0) primary.emplace_back(static_cast<int>(pk), cols->get_string(0));
  }
  cols.reset();
  if (shape.columns.empty()) return std::nullopt;
  std::sort(primary.begin(), primary.end());
  for (auto& p : primary) shape.key.push_back(p.second);
  if (!shape.key.empty()) {
    shape.key_source = "primary key";
    // An INTEGER PRIMARY KEY is the rowid, never NULL; other SQLite primary
    // keys admit NULL unless declared NOT NULL. Such rows are never selected
    // (NULL compares to nothing), so they stay where they are.
    return shape;
  }
  std::vector<std::string> candidates;
  auto indexes = db.query("SELECT name FROM pragma_index_list(?, ?) WHERE \"unique\" AND NOT partial ORDER BY name",
                          {table.name, schema});
  while (indexes->next()) candidates.push_back(indexes->get_string(0));
  indexes.reset();
  for (const auto& index : candidates) {
    std::vector<std::string> key;
    bool usable = true;
    auto info = db.query("SELECT cid, name FROM pragma_index_info(?, ?) ORDER BY seqno", {index, schema});
    while (info->next()) {
      if (info->get_int64(0) < 0) usable = false;  // an expression
      else {
        const ColumnInfo* c = shape.column(info->get_string(1));
        if (!c || !c->not_null) usable = false;
        key.push_back(info->get_string(1));
      }
    }
    if (usable && !key.empty()) {
      shape.key = std::move(key);
      shape.key_source = "unique index " + index;
      break;
    }
  }
  return shape;
}

}  // namespace

TableRef parse_table_ref(std::string_view text, std::string_view option) {
  TableRef ref;
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) ref.name = std::string(text);
  else {
    ref.schema = std::string(text.substr(0, dot));
    ref.name = std::string(text.substr(dot + 1));
  }
  if (ref.name.empty() || (dot != std::string_view::npos && ref.schema.empty()))
    ops::fail_usage(fmt::format("{}: invalid table name '{}' (expected TABLE or SCHEMA.TABLE)", option, text));
  return ref;
}

const ColumnInfo* TableShape::column(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> TableShape::copy_columns() const {
  std::vector<std::string> names;
  for (const auto& c : columns)
    if (!c.generated) names.push_back(c.name);
  return names;
}

std::optional<TableShape> describe_table(ops::db::Connection& db, const TableRef& table) {
  switch (db.engine()) {
    case Engine::postgresql: return describe_postgres(db, table);
    case Engine::mysql: return describe_mysql(db, table);
    case Engine::sqlite: return describe_sqlite(db, table);
  }
  return std::nullopt;
}

bool same_identifier(Engine engine, std::string_view a, std::string_view b) {
  if (engine == Engine::postgresql) return a == b;
  return ops::ascii_lower(a) == ops::ascii_lower(b);
}

}  // namespace opsarchive
