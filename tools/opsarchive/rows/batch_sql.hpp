#pragma once
// The statements of a batch, built once per run: the keyset SELECT that walks
// the table along its key, and the statements that name rows by their key
// list (never by a key range: a row that arrived inside the range since the
// SELECT is not one that was copied).

#include <ops/db.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace opsarchive {

// Numbers placeholders across one statement: $1, $2 … (PostgreSQL) or ?.
class Placeholders {
 public:
  explicit Placeholders(ops::db::Engine engine) : engine_(engine) {}
  std::string next() { return ops::db::placeholder(engine_, ++count_); }

 private:
  ops::db::Engine engine_;
  int count_ = 0;
};

struct BatchSql {
  ops::db::Engine engine = ops::db::Engine::postgresql;
  std::string table;                 // quoted
  std::vector<std::string> key;      // quoted key columns, in key order
  std::vector<std::string> columns;  // quoted columns a whole-row SELECT returns
  std::string where;                 // the operator's condition, its cut-off fixed

  // SELECT the key (or the whole rows) of up to `limit` matching rows after
  // the last key of the previous batch (its values are the first
  // placeholders), in key order, locked until the transaction ends (FOR
  // UPDATE; SQLite locks the database with BEGIN IMMEDIATE instead).
  std::string select(bool whole_rows, bool after_last, std::size_t limit, bool lock) const;
  // Which key value each placeholder of the "after the last key" condition
  // takes, in order: 0, 1 … for a row comparison; MySQL's spelled-out form
  // uses each but the last twice (0, 0, 1, 1, 2).
  std::vector<std::size_t> after_last_order() const;
  // "key IN (…)" for `rows` keys, placeholders continuing from `ph`.
  std::string key_in(std::size_t rows, Placeholders& ph) const;
  std::string delete_keys(std::size_t rows) const;
  // INSERT INTO dest (columns) SELECT columns FROM table WHERE key IN (…):
  // the copy of a batch within one database, the data never leaving the server.
  std::string insert_select(const std::string& dest, const std::vector<std::string>& dest_columns,
                            std::size_t rows) const;
  // The next batch, selected and locked as select() does, copied into dest in
  // the same statement, which returns the copied rows' keys in key order:
  // INSERT … SELECT … FOR UPDATE RETURNING key (MariaDB 10.5 and later).
  std::string insert_next_batch(const std::string& dest, const std::vector<std::string>& dest_columns,
                                bool after_last, std::size_t limit) const;
  // SELECT columns FROM table WHERE key IN (…).
  std::string select_keys(const std::vector<std::string>& select_columns, std::size_t rows) const;
  // SELECT count(*) FROM table WHERE (where).
  std::string count() const;
};

// INSERT of `rows` rows of values into `dest`; `idempotent` makes a row whose
// key is already there a no-op (ON CONFLICT DO NOTHING, or MySQL's ON
// DUPLICATE KEY UPDATE k = k, which unlike INSERT IGNORE does not also turn
// bad values into warnings).
std::string insert_values(ops::db::Engine engine, const std::string& dest, const std::vector<std::string>& columns,
                          std::size_t rows, bool idempotent, const std::string& first_key_column);

}  // namespace opsarchive
