#include "opsbackup/store/verify.hpp"

#include "opsbackup/db/sqlite_file.hpp"
#include "opsbackup/store/compressed_output.hpp"
#include "opsbackup/db/table_counts.hpp"

#include <ops/compress.hpp>
#include <ops/db.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>
#include <ops/hash.hpp>
#include <ops/process.hpp>
#include <ops/tar.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kTailBytes = 4096;

ops::Compression compression_of(const Manifest& m) { return ops::parse_compression(m.compression); }

std::string marker_for(const Manifest& m) {
  if (m.dump_format != "plain") return "";
  return m.engine == "postgresql" ? "-- PostgreSQL database dump complete" : "-- Dump completed";
}

// Decompresses `file` into `sink`, returning the plain size.
std::uint64_t decompress_file(const fs::path& file, const Manifest& m, const ops::ByteSink& sink) {
  ops::Fd fd = ops::open_regular(file);  // a FIFO planted in the store is refused, not waited on
  return ops::decompress_fd(fd.get(), file.string(), sink, compression_of(m));
}

VerifyOutcome check_sqlite(const fs::path& data, const Manifest& m) {
  ops::AtomicFile copy(data.parent_path() / (m.file + ".verify"), 0600);  // removed at the end
  decompress_file(data, m, [&](std::string_view chunk) { copy.write(chunk); });
  auto db = ops::db::connect(sqlite_file_dsn(copy.temp_path(), "ro"));
  auto integrity = db->query_value("PRAGMA integrity_check").value_or("");
  if (integrity != "ok") return {false, "SQLite integrity check: " + integrity};
  auto counts = count_table_rows(*db);
  for (const auto& expected : m.tables) {
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.table == expected.table; });
    if (it == counts.end()) return {false, "table " + expected.table + " is missing"};
    if (it->rows != expected.rows)
      return {false, fmt::format("table {} has {} rows, the manifest says {}", expected.table, it->rows, expected.rows)};
  }
  return {true, fmt::format("{} tables, integrity ok", counts.size())};
}

VerifyOutcome check_pg_custom(const fs::path& data, const Manifest& m) {
  ops::ProcessSpec spec;
  spec.argv = {"pg_restore", "--list"};
  spec.pipe_stdin = true;
  ops::Fd devnull = ops::open_file("/dev/null", O_WRONLY);
  spec.stdout_to = devnull.get();
  ops::Process p = ops::Process::spawn(spec);
  try {
    decompress_file(data, m, [&](std::string_view chunk) { ops::write_all(p.stdin_fd(), chunk, "pg_restore"); });
  } catch (const ops::Error&) {
    // pg_restore may stop reading early when the file is bad; its status says why.
  }
  p.close_stdin();
  auto status = p.wait();
  if (!status.success()) return {false, "pg_restore --list " + status.describe() + ": " + p.failure_line()};
  return {true, "pg_restore --list reads it"};
}

// Every entry's header and every data block read back: libarchive notices a
// bad header checksum or an archive cut short, our decompressor a bad stream.
VerifyOutcome check_pax(const fs::path& data, const Manifest& m) {
  std::uint64_t entries = 0;
  std::string problem;
  std::uint64_t plain = ops::read_tar(data, compression_of(m), [&](archive* a) {
    archive_entry* entry = nullptr;
    for (;;) {
      int rc = archive_read_next_header(a, &entry);
      if (rc == ARCHIVE_EOF) return;
      if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
        problem = fmt::format("after {} entries: {}", entries, ops::archive_message(a));
        return;
      }
      ++entries;
      const void* block = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      while ((rc = archive_read_data_block(a, &block, &size, &offset)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
      }
      if (rc != ARCHIVE_EOF) {
        problem = fmt::format("{}: {}", archive_entry_pathname(entry), ops::archive_message(a));
        return;
      }
    }
  });
  if (!problem.empty()) return {false, problem};
  if (plain != m.plain_size) return {false, fmt::format("decompresses to {} bytes, the manifest says {}", plain, m.plain_size)};
  if (entries != m.file_count)
    return {false, fmt::format("the archive holds {} entries, the manifest says {}", entries, m.file_count)};
  return {true, fmt::format("checksum ok, {} entries read, {} plain bytes", entries, plain)};
}

// The size of a backup file, which must be a regular file: a FIFO, a device
// or a directory put in its place is refused by name (not waited on).
std::uint64_t regular_file_size(const fs::path& file) {
  ops::Fd fd = ops::open_regular(file);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) ops::fail_errno("cannot stat " + file.string(), errno);
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

VerifyOutcome check_against_manifest(const fs::path& manifest_file, const Manifest& m) {
  const fs::path data = manifest_file.parent_path() / m.file;
  try {
    const std::uint64_t size = regular_file_size(data);
    if (size != m.size) return {false, fmt::format("{} is {} bytes, the manifest says {}", data.string(), size, m.size)};
    if (auto sha = ops::sha256_file(data.string()); sha != m.sha256)
      return {false, fmt::format("{}: SHA-256 {} differs from the manifest's {}", data.string(), sha, m.sha256)};
    if (!m.globals_file.empty()) {
      const fs::path globals = manifest_file.parent_path() / m.globals_file;
      if (ops::sha256_file(globals.string()) != m.globals_sha256)
        return {false, globals.string() + ": SHA-256 differs from the manifest's"};
    }
    return {true, "size and SHA-256 match the manifest"};
  } catch (const ops::Error& e) {
    return {false, e.what()};
  }
}

VerifyOutcome verify_backup(const fs::path& manifest_file, const Manifest& m) {
  const fs::path data = manifest_file.parent_path() / m.file;
  if (auto same = check_against_manifest(manifest_file, m); !same.ok) return same;
  try {
    if (m.dump_format == "sqlite") return check_sqlite(data, m);
    if (m.dump_format == "custom") return check_pg_custom(data, m);
    if (m.dump_format == "pax") return check_pax(data, m);

    std::string tail;
    std::uint64_t plain = decompress_file(data, m, [&](std::string_view chunk) {
      tail.append(chunk.size() > kTailBytes ? chunk.substr(chunk.size() - kTailBytes) : chunk);
      if (tail.size() > kTailBytes) tail.erase(0, tail.size() - kTailBytes);
    });
    if (plain != m.plain_size)
      return {false, fmt::format("decompresses to {} bytes, the manifest says {}", plain, m.plain_size)};
    if (auto marker = marker_for(m); !marker.empty() && !tail_has_marker(tail, marker))
      return {false, fmt::format("the dump does not end with \"{}\"", marker)};
    return {true, fmt::format("checksum, {} plain bytes and completion line ok", plain)};
  } catch (const ops::Error& e) {
    return {false, e.what()};
  }
}

}  // namespace opsbackup
