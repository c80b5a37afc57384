#include "opsarchive/rows/row_file.hpp"

#include <ops/json_text.hpp>
#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs_regular.hpp>
#include <ops/value_check.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace opsarchive {

namespace {

// Thrown by the sink that stops reading a file after its first line.
struct FirstLineRead {};

std::string first_line(int fd, const std::string& what, ops::Compression format) {
  std::string line;
  try {
    ops::decompress_fd(fd, what, [&](std::string_view data) {
      const auto nl = data.find('\n');
      line.append(data.substr(0, nl));
      if (nl != std::string_view::npos) throw FirstLineRead{};
    }, format);
  } catch (const FirstLineRead&) {
  }
  return line;
}

}  // namespace

void check_row_file_target(const std::filesystem::path& path, const std::string& at) {
  try {
    ops::check_new_file(path.string());
  } catch (const ops::Error& e) {
    ops::fail_usage(fmt::format("{}--to-file: {}", at, e.what()));
  }
}

ops::Compression compression_for(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".gz") return ops::Compression::gzip;
  if (ext == ".zst") return ops::Compression::zstd;
  if (ext == ".xz") return ops::Compression::xz;
  return ops::Compression::none;
}

RowFile::RowFile(std::filesystem::path path, FileFormat format, std::vector<std::string> columns)
    : path_(std::move(path)), format_(format), columns_(std::move(columns)), compression_(compression_for(path_)) {
  // O_NONBLOCK and the check after it: what check_row_file_target passed may
  // have been replaced by a FIFO or a device since.
  fd_ = ops::open_file(path_, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK, 0640);
  ops::require_regular(fd_, path_);
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      ops::fail(fmt::format("{}: another opsarchive run is writing this file", path_.string()));
    ops::fail_errno(fmt::format("cannot lock {}", path_.string()), errno);
  }
  remove_journal_temporaries();
  const std::filesystem::path journal = journal_path();
  if (std::filesystem::exists(journal)) {
    try {
      const auto j = nlohmann::json::parse(ops::read_file(journal));
      PendingBatch p;
      p.offset = j.at("offset").get<std::uint64_t>();
      p.keys = j.at("keys").get<std::vector<KeyValues>>();
      pending_ = std::move(p);
    } catch (const nlohmann::json::exception& e) {
      // The journal is published atomically, so it is whole or absent; a
      // broken one was not written by opsarchive.
      ops::fail(fmt::format("{}: unreadable journal: {}", journal.string(), ops::json_error_text(e)));
    }
    if (pending_->offset > size())
      ops::fail(fmt::format("{}: the file is shorter ({} bytes) than its journal {} records ({} bytes): "
                            "it was changed by something else",
                            path_.string(), size(), journal.string(), pending_->offset));
    if (pending_->keys.empty()) {
      // A run killed while writing the CSV header: no row was written yet.
      cut_to(pending_->offset);
      pending_.reset();
    }
  }
  if (size() == 0) {
    created_ = !pending_;
    ops::fsync_parent_dir(path_);
    if (format_ == FileFormat::csv) write_header();
    return;
  }
  if (format_ == FileFormat::csv) {
    const std::string expected = csv_header(columns_);
    const std::string found = first_line(fd_.get(), path_.string(), compression_) + "\n";
    if (found != expected)
      ops::fail_usage(fmt::format("{}: its columns ({}) are not the table's ({})", path_.string(),
                                  found.substr(0, found.size() - 1), expected.substr(0, expected.size() - 1)),
                      "archive into a new file, or one written from this table");
  }
}

// A run killed while it published the journal leaves the temporary of its
// atomic write; with the file locked, no other run is writing one.
void RowFile::remove_journal_temporaries() {
  ops::LeftoverQuery query;
  const std::string journal = journal_path().filename().string();
  query.wanted = [&](const std::string& final_name) { return final_name == journal; };
  ops::clear_leftovers(ops::Dir::open_parent(path_), query);
}

RowFile::~RowFile() {
  if (created_ && !appended_ && fd_) ::unlink(path_.c_str());
}

std::filesystem::path RowFile::journal_path() const { return path_.string() + ".pending"; }

std::uint64_t RowFile::size() const {
  struct stat st {};
  if (::fstat(fd_.get(), &st) != 0) ops::fail_errno(fmt::format("cannot stat {}", path_.string()), errno);
  return static_cast<std::uint64_t>(st.st_size);
}

void RowFile::cut_to(std::uint64_t length) {
  if (::ftruncate(fd_.get(), static_cast<off_t>(length)) != 0 || ::fsync(fd_.get()) != 0)
    ops::fail_errno(fmt::format("cannot cut {} back to {} bytes", path_.string(), length), errno);
}

void RowFile::discard_pending() {
  if (!pending_) return;
  cut_to(pending_->offset);
  keep_pending();
}

// The header is journaled like a batch without keys, so a run killed halfway
// through it leaves a journal that tells the next run to start the file over,
// rather than a broken first member no reader gets past.
void RowFile::write_header() {
  ops::write_file_atomic(journal_path(), nlohmann::json{{"offset", 0}, {"keys", nlohmann::json::array()}}.dump(),
                         0600);
  write_member(csv_header(columns_));
  committed();
}

void RowFile::keep_pending() {
  pending_.reset();
  committed();
}

void RowFile::write_member(const std::string& plain) {
  std::string out;
  if (compression_ == ops::Compression::none) {
    out = plain;
  } else {
    ops::Compressor c({compression_, -1, 1}, [&](std::string_view data) { out.append(data); });
    c.write(plain);
    c.finish();
  }
  ops::write_all(fd_.get(), out, path_.string());
  if (::fdatasync(fd_.get()) != 0) ops::fail_errno(fmt::format("cannot fsync {}", path_.string()), errno);
}

std::uint64_t RowFile::append(const std::vector<RowValues>& rows, const std::vector<KeyValues>& keys) {
  const std::uint64_t before = size();
  ops::write_file_atomic(journal_path(), nlohmann::json{{"offset", before}, {"keys", keys}}.dump(), 0600);
  std::string plain;
  for (const auto& row : rows) {
    if (format_ == FileFormat::csv) append_csv_row(plain, row);
    else append_jsonl_row(plain, columns_, row);
  }
  try {
    write_member(plain);
  } catch (...) {
    // A failed write (disk full) must not leave half a member for the next batch to follow.
    if (::ftruncate(fd_.get(), static_cast<off_t>(before)) == 0) committed();
    throw;
  }
  appended_ = true;
  return size() - before;
}

void RowFile::committed() {
  if (::unlink(journal_path().c_str()) != 0 && errno != ENOENT)
    ops::fail_errno(fmt::format("cannot remove {}", journal_path().string()), errno);
}

}  // namespace opsarchive
