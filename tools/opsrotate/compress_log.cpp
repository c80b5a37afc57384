#include "compress_log.hpp"
#include "rotated_names.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/process.hpp>

#include <cerrno>
#include <fcntl.h>
#include <fmt/format.h>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace opsrotate {

namespace {

struct InProcess {
  ops::Compression format;
  int level;
};

// The program and options as an in-process compression, when they mean one
// we do the same way: gzip/pigz/zstd/xz with nothing but a level.
std::optional<InProcess> in_process(const LogConfig& c) {
  std::string program = c.compresscmd.empty() ? "gzip" : fs::path(c.compresscmd).filename().string();
  std::optional<ops::Compression> format;
  if (program == "gzip" || program == "pigz") format = ops::Compression::gzip;
  else if (program == "zstd") format = ops::Compression::zstd;
  else if (program == "xz") format = ops::Compression::xz;
  if (!format) return std::nullopt;
  std::string options = c.compressoptions_set ? c.compressoptions : (*format == ops::Compression::gzip ? "-6" : "");
  int level = -1;
  for (const auto& word : split_words(options)) {
    if (word.size() == 2 && word[0] == '-' && word[1] >= '1' && word[1] <= '9') level = word[1] - '0';
    else if (word == "--best" && *format == ops::Compression::gzip) level = 9;
    else if (word == "--fast" && *format == ops::Compression::gzip) level = 1;
    else return std::nullopt;  // e.g. --rsyncable: the program itself knows what it means
  }
  return InProcess{*format, level};
}

}  // namespace

std::pair<std::uint64_t, std::uint64_t> compress_log(const fs::path& plain, const fs::path& packed,
                                                     const LogConfig& c) {
  ops::Fd in = ops::open_file(plain, O_RDONLY | O_NOFOLLOW);
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) ops::fail_errno("cannot stat " + plain.string(), errno);
  ops::AtomicFile out(packed, st.st_mode & 07777);
  std::uint64_t bytes_out = 0;
  if (auto how = in_process(c)) {
    ops::Compressor compressor({how->format, how->level, 0}, [&](std::string_view data) {
      out.write(data);
      bytes_out += data.size();
    });
    std::vector<char> buf(1 << 20);
    for (;;) {
      ssize_t n = ::read(in.get(), buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) ops::fail_errno("cannot read " + plain.string(), errno);
      if (n == 0) break;
      compressor.write(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    }
    compressor.finish();
  } else {
    ops::ProcessSpec spec;
    spec.argv = {c.compresscmd.empty() ? std::string("gzip") : c.compresscmd};
    for (auto& w : split_words(c.compressoptions)) spec.argv.push_back(w);
    spec.stdin_from = in.get();
    spec.stdout_to = out.fd();
    ops::Process child = ops::Process::spawn(spec);
    ops::ExitStatus status = child.wait();
    if (!status.success())
      ops::fail(fmt::format("compressing {} with {} failed: {}: {}", plain.string(), spec.argv[0], status.describe(),
                            child.failure_line()));
    struct stat packed_st {};
    if (::fstat(out.fd(), &packed_st) == 0) bytes_out = static_cast<std::uint64_t>(packed_st.st_size);
  }
  if (::geteuid() == 0 && ::fchown(out.fd(), st.st_uid, st.st_gid) != 0)
    ops::fail_errno("cannot set the owner of " + packed.string(), errno);
  const struct timespec times[2] = {st.st_atim, st.st_mtim};
  ::futimens(out.fd(), times);
  out.commit();
  in.reset();
  if (::unlink(plain.c_str()) != 0) ops::fail_errno("cannot remove " + plain.string() + " after compressing it", errno);
  return {static_cast<std::uint64_t>(st.st_size), bytes_out};
}

}  // namespace opsrotate
