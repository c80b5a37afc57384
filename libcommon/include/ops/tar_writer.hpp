#pragma once
// A pax tar stream written by libarchive into a ByteSink (for opsbackup, a
// CompressedOutput): libarchive only formats, our own compressor and atomic
// file do the rest. An exception thrown by the sink (disk full) comes out of
// the TarWriter call that caused it, unchanged.

#include <ops/archive.hpp>

#include <ops/compress.hpp>

#include <exception>
#include <string_view>

namespace ops {

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

}  // namespace ops
