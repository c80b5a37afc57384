#include <ops/tar.hpp>

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>

#include <atomic>
#include <exception>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace ops {

std::uint64_t read_tar(const std::filesystem::path& data, Compression compression,
                       const std::function<void(archive*)>& consume) {
  Fd input = open_regular(data);  // a FIFO is refused, not waited on
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) fail_errno("cannot create a pipe", errno);
  Fd read_end(ends[0]);
  Fd write_end(ends[1]);

  std::uint64_t plain = 0;
  std::exception_ptr decompress_error;
  std::atomic<bool> reader_gone{false};
  std::thread decompressor([&, out = std::move(write_end)]() mutable {
    try {
      plain = decompress_fd(input.get(), data.string(),
                                 [&](std::string_view chunk) { write_all(out.get(), chunk, "the tar reader"); },
                                 compression);
    } catch (...) {
      // EPIPE once the reader has stopped is the reader's story, not ours.
      if (!reader_gone) decompress_error = std::current_exception();
    }
    out.reset();  // end of file for the reader
  });

  std::exception_ptr consume_error;
  try {
    ArchiveReader reader(archive_read_new());
    if (!reader) fail("cannot read " + data.string() + ": out of memory");
    archive* a = reader.get();
    check_archive(a, archive_read_support_format_tar(a), "cannot read " + data.string());
    check_archive(a, archive_read_support_filter_none(a), "cannot read " + data.string());
    check_archive(a, archive_read_open_fd(a, read_end.get(), 64 * 1024), data.string());
    consume(a);
    // What follows the end of the archive is read too, so that the
    // decompressor finishes (and checks the stream's trailer).
    std::string rest(64 * 1024, '\0');
    while (read_retrying(read_end.get(), rest.data(), rest.size()) > 0) {
    }
  } catch (...) {
    consume_error = std::current_exception();
  }
  reader_gone = true;
  read_end.reset();  // a decompressor still writing gets EPIPE and stops
  decompressor.join();
  // The decompressor's verdict first: a truncated stream explains a tar error.
  if (decompress_error) std::rethrow_exception(decompress_error);
  if (consume_error) std::rethrow_exception(consume_error);
  return plain;
}

}  // namespace ops
