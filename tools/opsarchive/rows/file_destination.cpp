#include "opsarchive/rows/file_destination.hpp"

#include <ops/db.hpp>

#include <fmt/format.h>

namespace opsarchive {

namespace {

using ops::db::Engine;

class FileDestination final : public Destination {
 public:
  FileDestination(std::unique_ptr<RowFile> file, std::vector<std::string> columns)
      : file_(std::move(file)), columns_(std::move(columns)) {}

  std::string describe() const override { return file_->path().string(); }
  std::vector<std::string> row_columns() const override { return columns_; }
  std::vector<std::pair<std::string, std::string>> statements(std::size_t) const override {
    return {{"copy", fmt::format("append the batch as one {} member to {} and fsync it (journal {}.pending)",
                                 ops::compression_name(compression_for(file_->path())), file_->path().string(),
                                 file_->path().string())}};
  }
  void copy(const Batch& batch) override { file_->append(batch.rows, batch.keys); }
  void committed() override { file_->committed(); }

  // A batch journaled by a run that died: if the source still holds any of
  // its rows the delete never committed, and the batch's bytes go. The rows
  // are read locked: a run killed during its COMMIT may still be committing,
  // and the lock waits until the server has finished it one way or the other.
  void resume(ops::db::Connection& source, const BatchSql& sql) override {
    const auto& pending = file_->pending();
    if (!pending) return;
    Batch batch;
    batch.keys = pending->keys;
    const auto params = batch.key_params();
    ops::db::Transaction txn(source, ops::db::TransactionMode::immediate);
    std::string select = sql.select_keys(sql.key, batch.size());
    if (source.engine() != Engine::sqlite) select += " FOR UPDATE";
    auto cursor = source.query(select, params);
    const bool left = cursor->next();
    cursor.reset();
    txn.rollback();
    if (left) file_->discard_pending();
    else file_->keep_pending();
  }

 private:
  std::unique_ptr<RowFile> file_;
  std::vector<std::string> columns_;
};

}  // namespace

std::unique_ptr<Destination> open_file_destination(const DestinationRequest& request, const TableShape& shape,
                                                   bool dry_run, std::ostream& notes) {
  std::vector<std::string> columns;
  for (const auto& c : shape.columns) columns.push_back(c.name);
  if (dry_run) {
    notes << "format       " << (request.file_format == FileFormat::csv ? "csv" : "jsonl") << ", "
          << ops::compression_name(compression_for(request.file)) << "\n";
    struct DryFile final : Destination {
      std::filesystem::path path;
      std::vector<std::string> columns;
      std::string describe() const override { return path.string(); }
      std::vector<std::string> row_columns() const override { return columns; }
      std::vector<std::pair<std::string, std::string>> statements(std::size_t) const override {
        return {{"copy", "append the batch as one compressed member to " + path.string() + " and fsync it"}};
      }
      void copy(const Batch&) override {}
    };
    auto d = std::make_unique<DryFile>();
    d->path = request.file;
    d->columns = columns;
    return d;
  }
  return std::make_unique<FileDestination>(std::make_unique<RowFile>(request.file, request.file_format, columns),
                                           columns);
}

}  // namespace opsarchive
