#pragma once
// Tar archives (opsbackup's files backups, opsarchive's --into-tar) through
// libarchive: owners for its handles, its failures as ops::Error, a pax
// writer into a ByteSink and a one-pass reader of a compressed file. Our own
// compressor and decompressor do the compression; libarchive only formats.

#include <ops/compress.hpp>
#include <ops/handle.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <locale.h>
#include <string>
#include <string_view>

namespace ops {

// archive_read_new() and archive_read_disk_new() are both freed by archive_read_free().
using ArchiveReader = Handle<archive, archive_read_free>;
// archive_write_new() and archive_write_disk_new().
using ArchiveWriter = Handle<archive, archive_write_free>;
using ArchiveEntry = Handle<archive_entry, archive_entry_free>;
using LinkResolver = Handle<archive_entry_linkresolver, archive_entry_linkresolver_free>;

// libarchive's own message for the last failure on `a` ("Truncated tar archive").
std::string archive_message(archive* a);
// Throws ops::Error (critical) "<what>: <libarchive's message>" unless rc is
// ARCHIVE_OK or ARCHIVE_WARN.
void check_archive(archive* a, int rc, const std::string& what);

// Names in archives are UTF-8, as Linux file names are by convention. Under
// the C locale (cron's) libarchive would mark every non-ASCII name as binary
// ("hdrcharset", which GNU tar does not know); this makes the calling thread
// use C.UTF-8 for the object's lifetime.
class Utf8Names {
 public:
  Utf8Names();
  ~Utf8Names();
  Utf8Names(const Utf8Names&) = delete;
  Utf8Names& operator=(const Utf8Names&) = delete;

 private:
  locale_t utf8_ = nullptr;
  locale_t old_ = nullptr;
};

// "libarchive 3.6.2", for manifests.
std::string libarchive_version();

// A pax tar stream written by libarchive into a ByteSink (for opsbackup, a
// CompressedOutput): our own compressor and atomic file do the rest. An
// exception thrown by the sink (disk full) comes out of the TarWriter call
// that caused it, unchanged.
class TarWriter {
 public:
  explicit TarWriter(ByteSink sink);
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // The entry's header; its data (archive_entry_size bytes) follows through
  // write_data. A short entry is padded with zeros by libarchive, so the
  // archive stays readable whatever the data did.
  void write_header(archive_entry* entry);
  void write_data(std::string_view data);
  // Writes the end-of-archive blocks and flushes them into the sink.
  void close();

 private:
  static la_ssize_t on_write(archive* a, void* self, const void* buffer, size_t size);
  [[noreturn]] void fail(const std::string& what);

  ByteSink sink_;
  std::exception_ptr sink_error_;
  ArchiveWriter archive_;
};

// Reads a tar in one pass whatever its size: our own decompressor (which
// checks the gzip/zstd/xz checksums and notices truncation) feeds
// libarchive's tar reader through a pipe, from a second thread. Calls
// `consume` with the reader open on the plain archive of `data`, and returns
// the number of plain bytes the decompressor produced. Throws ops::Error
// (critical) for a corrupt or truncated compressed stream, and passes on
// whatever `consume` throws. `data` must be a regular file (ops::open_regular).
std::uint64_t read_tar(const std::filesystem::path& data, Compression compression,
                       const std::function<void(archive*)>& consume);

}  // namespace ops
