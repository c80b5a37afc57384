#pragma once
// Where the rows of a batch go before the source deletes them: a table of the
// same database (one transaction: the copy and the delete commit together),
// a table on another server or a file (the copy is committed or fsynced
// before the delete, and replaying it is harmless), or nowhere (--purge).

#include "opsarchive/rows/batch_sql.hpp"
#include "opsarchive/rows/row_file.hpp"
#include "opsarchive/rows/table_shape.hpp"

#include <ops/db.hpp>
#include <ops/db_target.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace opsarchive {

// One batch as the source returned it, locked until the source commits.
struct Batch {
  std::vector<RowValues> rows;  // whole rows, when the destination needs them
  std::vector<KeyValues> keys;  // each row's key values, in key order

  std::size_t size() const noexcept { return keys.size(); }
  // The key values as parameters of a "key IN (…)" list.
  std::vector<ops::db::Param> key_params() const;
};

// The cursor's current row, copied (NULL as nullopt).
RowValues current_row(const ops::db::Cursor& cursor);
// A row's key values, taken from the key columns' positions in the row.
KeyValues key_of(const RowValues& row, const std::vector<std::size_t>& key_positions);

class Destination {
 public:
  virtual ~Destination() = default;
  // For output: "audit_logs_archive", "mysql://…/db audit_logs", a path, "(purged)".
  virtual std::string describe() const = 0;
  // The columns each batch must bring whole; empty: only the key.
  virtual std::vector<std::string> row_columns() const { return {}; }
  // The statements a batch of `rows` rows runs here, for --dry-run (after
  // the source's SELECT; unless select_and_copy).
  virtual std::vector<std::pair<std::string, std::string>> statements(std::size_t rows) const = 0;
  // Before the first batch: finishes what a run that died left (a file's
  // journaled batch).
  virtual void resume(ops::db::Connection& /*source*/, const BatchSql& /*sql*/) {}
  // One statement that selects the next batch (after the last key when
  // `after_last`), locks it and copies it here, returning the copied rows'
  // keys in key order; empty when this destination copies what the source
  // selected (copy). It saves a pass over the batch's keys.
  virtual std::string select_and_copy(bool /*after_last*/, std::size_t /*limit*/) const { return {}; }
  // Copies a batch. Called inside the source transaction, before the delete.
  virtual void copy(const Batch& batch) = 0;
  // The source committed the delete of the batch last copied.
  virtual void committed() {}
  // --analyze / --optimize of the destination table after the run.
  virtual void maintain(bool /*analyze*/, bool /*optimize*/) {}
};

struct DestinationRequest {
  enum class Kind { purge, table, other_db, file } kind = Kind::purge;
  TableRef table;                         // table, other_db
  std::optional<ops::db::Target> server;  // other_db
  std::filesystem::path file;             // file
  FileFormat file_format = FileFormat::csv;
  bool create = false;
};

// Checks the destination against the source table and creates its table
// when asked (not in a dry run, which only notes it). Every problem found
// here is an exit-3 error: nothing has moved yet.
std::unique_ptr<Destination> open_destination(const DestinationRequest& request, ops::db::Connection& source,
                                              const TableShape& shape, const BatchSql& source_sql, bool dry_run,
                                              std::ostream& notes);

}  // namespace opsarchive
