#pragma once
// A backup's manifest: what the backup is, written as JSON next to it, last.
// A backup whose manifest is missing does not exist (it is a leftover of a
// crash). Verification results are recorded in it later. The format lives
// here, both ways, because two tools read it (opsbackup writes and reads it,
// opshealth judges it): one reader, one set of rules for a malformed file.
// Writing the file (atomically, never replacing a backup's) is opsbackup's.

#include <ops/clock.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ops::backup {

struct TableCount {
  std::string table;  // "public.patients", "app.cases", "notes"
  std::int64_t rows = 0;
};

struct Verification {
  ops::SysTime at{};
  std::string how;     // "checksum" (hash, decompression, completion marker) or "restore-test"
  bool ok = false;
  std::string detail;  // the reason when not ok, or a short summary
};

struct Manifest {
  std::string tool_version;
  std::string name;              // the backup NAME
  std::string kind;              // "database" or "files"
  std::string engine;            // "postgresql", "mysql", "sqlite"; empty for files
  std::string source;            // DSN without password, or the source directories
  std::string server_version;    // empty for files
  std::string dumper;            // "pg_dump (PostgreSQL) 15.18", "mariadb-dump …", "sqlite3 backup API 3.40.1", "libarchive 3.6.2"
  std::string dump_format;       // "plain", "custom", "sqlite", "pax"
  ops::SysTime started{};
  ops::SysTime finished{};
  std::string file;              // the data file's name, in the same directory
  std::uint64_t size = 0;        // of the data file
  std::uint64_t plain_size = 0;  // before compression
  std::string sha256;            // of the data file
  std::string compression;       // "gzip", "zstd", "xz", "none"
  int level = 0;
  std::vector<TableCount> tables;  // databases: rows per table at the dump's snapshot
  std::uint64_t file_count = 0;    // files backups: entries archived
  std::vector<std::string> warnings;
  std::string globals_file;      // --globals: roles and grants, a second file
  std::string globals_sha256;
  std::optional<Verification> verified;
};

// The manifest's file content (JSON, format 1, "status": "complete").
std::string manifest_text(const Manifest& m);
// Parses a manifest; a malformed one is an ops::Error (critical) naming `what`.
Manifest parse_manifest(const std::string& text, const std::string& what);
// Reads and parses; one that cannot be read (missing, not a regular file: a
// FIFO is refused, not waited on) is an ops::Error (critical) too.
Manifest read_manifest(const std::filesystem::path& path);

}  // namespace ops::backup
