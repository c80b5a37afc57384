#include <ops/tar.hpp>

#include <ops/error.hpp>

namespace ops {

TarWriter::TarWriter(ByteSink sink) : sink_(std::move(sink)), archive_(archive_write_new()) {
  if (!archive_) ops::fail("cannot start a tar archive: out of memory");
  archive* a = archive_.get();
  check_archive(a, archive_write_set_format_pax(a), "cannot start a pax archive");
  // Extended attributes as SCHILY.xattr only: the records GNU tar reads too
  // (libarchive would add its own LIBARCHIVE.xattr copies, which GNU tar warns about).
  check_archive(a, archive_write_set_format_option(a, "pax", "xattrheader", "SCHILY"), "cannot start a pax archive");
  check_archive(a, archive_write_add_filter_none(a), "cannot start a pax archive");
  check_archive(a, archive_write_open2(a, this, nullptr, &TarWriter::on_write, nullptr, nullptr),
                "cannot start a pax archive");
}

la_ssize_t TarWriter::on_write(archive* a, void* self, const void* buffer, size_t size) {
  auto* w = static_cast<TarWriter*>(self);
  try {
    w->sink_(std::string_view(static_cast<const char*>(buffer), size));
    return static_cast<la_ssize_t>(size);
  } catch (...) {
    // Exceptions must not cross libarchive's C frames: keep it for fail().
    w->sink_error_ = std::current_exception();
    archive_set_error(a, EIO, "the archive's output failed");
    return -1;
  }
}

void TarWriter::fail(const std::string& what) {
  if (sink_error_) std::rethrow_exception(sink_error_);
  ops::fail(what + ": " + archive_message(archive_.get()));
}

void TarWriter::write_header(archive_entry* entry) {
  int rc = archive_write_header(archive_.get(), entry);
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) fail(std::string("cannot archive ") + archive_entry_pathname(entry));
}

void TarWriter::write_data(std::string_view data) {
  while (!data.empty()) {
    la_ssize_t n = archive_write_data(archive_.get(), data.data(), data.size());
    if (n < 0) fail("cannot write to the archive");
    if (n == 0) return;  // more than the header announced: libarchive drops the rest
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void TarWriter::close() {
  if (archive_write_close(archive_.get()) != ARCHIVE_OK) fail("cannot finish the archive");
}

}  // namespace ops
