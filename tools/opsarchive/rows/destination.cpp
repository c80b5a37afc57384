#include "opsarchive/rows/destination.hpp"

#include "opsarchive/rows/file_destination.hpp"
#include "opsarchive/rows/table_destination.hpp"

namespace opsarchive {

namespace {

class Purge final : public Destination {
 public:
  std::string describe() const override { return "(purged)"; }
  std::vector<std::pair<std::string, std::string>> statements(std::size_t) const override { return {}; }
  void copy(const Batch&) override {}
};

}  // namespace

RowValues current_row(const ops::db::Cursor& cursor) {
  RowValues row;
  row.reserve(cursor.columns());
  for (std::size_t i = 0; i < cursor.columns(); ++i) {
    const auto v = cursor.get(i);
    row.push_back(v ? std::optional<std::string>(std::string(*v)) : std::nullopt);
  }
  return row;
}

KeyValues key_of(const RowValues& row, const std::vector<std::size_t>& key_positions) {
  KeyValues key;
  key.reserve(key_positions.size());
  for (auto p : key_positions) key.push_back(row[p].value_or(""));
  return key;
}

std::vector<ops::db::Param> Batch::key_params() const {
  std::vector<ops::db::Param> params;
  params.reserve(keys.size() * (keys.empty() ? 0 : keys.front().size()));
  for (const auto& key : keys)
    for (const auto& v : key) params.emplace_back(v);
  return params;
}

std::unique_ptr<Destination> open_destination(const DestinationRequest& request, ops::db::Connection& source,
                                              const TableShape& shape, const BatchSql& source_sql, bool dry_run,
                                              std::ostream& notes) {
  using Kind = DestinationRequest::Kind;
  switch (request.kind) {
    case Kind::purge: return std::make_unique<Purge>();
    case Kind::table:
    case Kind::other_db: return open_table_destination(request, source, shape, source_sql, dry_run, notes);
    case Kind::file: return open_file_destination(request, shape, dry_run, notes);
  }
  return nullptr;
}

}  // namespace opsarchive
