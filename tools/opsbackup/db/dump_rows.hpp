#pragma once
// Rows per table, counted in the dump stream itself as it goes by: exactly
// what the backup holds, at the dump's own snapshot, without a second pass
// over the database. pg_dump's plain format has one line per row inside each
// "COPY … FROM stdin;" block; mysqldump/mariadb-dump writes extended INSERTs
// with one parenthesised tuple per row, and a "-- Dumping data for table"
// comment even for an empty table.

#include "opsbackup/store/manifest.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace opsbackup {

class DumpRowCounter {
 public:
  virtual ~DumpRowCounter() = default;
  virtual void feed(std::string_view chunk) = 0;
  // The tables in dump order.
  virtual std::vector<TableCount> tables() const = 0;
};

class PgCopyRowCounter final : public DumpRowCounter {
 public:
  void feed(std::string_view chunk) override;
  std::vector<TableCount> tables() const override { return tables_; }

 private:
  void end_of_line();
  bool in_copy_ = false;
  std::string line_;            // outside COPY: the line so far (capped)
  std::size_t line_length_ = 0;  // inside COPY: length of the current line so far
  std::string line_start_;       // inside COPY: its first two bytes, to spot "\."
  std::vector<TableCount> tables_;
};

class MysqlInsertRowCounter final : public DumpRowCounter {
 public:
  void feed(std::string_view chunk) override;
  std::vector<TableCount> tables() const override { return tables_; }

 private:
  void header_line_done();
  TableCount& table(const std::string& name);
  enum class Mode { header, skip, tuples } mode_ = Mode::header;
  std::string header_;  // the start of the current line
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  char quote_ = 0;
  std::size_t current_ = 0;  // index into tables_ while counting tuples
  std::vector<TableCount> tables_;
};

// "`a``b`" -> "a`b", "\"x\".\"y\"" -> "x.y", "public.t" -> "public.t".
std::string unquote_qualified_name(std::string_view text, char quote);

}  // namespace opsbackup
