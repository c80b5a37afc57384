#pragma once
// The file an archive run appends rows to, so that a crash anywhere neither
// loses nor duplicates a row.
//
// Each batch is appended as its own compressed member (gzip members, zstd
// frames and xz streams concatenate into one valid file: zcat reads them all).
// Before a batch is appended, a journal PATH.pending records the file's
// length and the batch's keys; the member is fsynced before the source rows
// are deleted, and the journal removed after the delete committed. A run
// that finds a journal asks the source whether any of those keys is still
// there: if so the delete never committed and the file is cut back to the
// recorded length (the rows will be copied again); if not, the batch is
// complete and stays. A new CSV file's header is journaled the same way,
// with no keys.

#include "opsarchive/rows/row_encoding.hpp"

#include <ops/compress.hpp>
#include <ops/fs.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace opsarchive {

using KeyValues = std::vector<std::string>;

struct PendingBatch {
  std::uint64_t offset = 0;  // the file's length before the batch
  std::vector<KeyValues> keys;
};

// gzip, zstd or xz from the name's last extension (.gz, .zst, .xz); anything
// else (e.g. events.csv) is written uncompressed.
ops::Compression compression_for(const std::filesystem::path& path);

// Refuses (exit 3, one line naming the path) a --to-file that exists and is
// not a regular file: a device (/dev/full, /dev/null), a FIFO, a directory, a
// socket, or a symlink (to anything: the file is opened O_NOFOLLOW). Rows
// sent there would be lost or hang the run, and the journal PATH.pending
// would be written beside it. Called when the options are checked, before
// any database is opened or any file written. A path that does not exist
// passes: the run creates it. `at` prefixes the message ("[archive.x]: ").
void check_row_file_target(const std::filesystem::path& path, const std::string& at);

class RowFile {
 public:
  // Opens (creating) and locks the file; a file another run holds is an error.
  // An existing non-empty CSV file must have the same header.
  RowFile(std::filesystem::path path, FileFormat format, std::vector<std::string> columns);
  RowFile(const RowFile&) = delete;
  RowFile& operator=(const RowFile&) = delete;
  // A file this run created and never appended a batch to is removed: a run
  // that matched no row leaves no empty archive behind.
  ~RowFile();

  const std::filesystem::path& path() const noexcept { return path_; }
  // The batch a crashed run left, if any (read when the file was opened).
  const std::optional<PendingBatch>& pending() const noexcept { return pending_; }
  // Cuts the file back to the pending batch's offset (its delete never committed).
  void discard_pending();
  // The pending batch is complete: forget the journal.
  void keep_pending();

  // Journals, appends and fsyncs one batch; returns the compressed bytes written.
  std::uint64_t append(const std::vector<RowValues>& rows, const std::vector<KeyValues>& keys);
  // After the source committed the delete of the appended batch.
  void committed();

  std::uint64_t size() const;

 private:
  void write_header();
  void write_member(const std::string& plain);
  void cut_to(std::uint64_t length);
  void remove_journal_temporaries();
  std::filesystem::path journal_path() const;

  std::filesystem::path path_;
  FileFormat format_;
  std::vector<std::string> columns_;
  ops::Compression compression_;
  ops::Fd fd_;
  std::optional<PendingBatch> pending_;
  bool created_ = false;
  bool appended_ = false;
};

}  // namespace opsarchive
