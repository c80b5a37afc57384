#include "opsrotate/rotation/compress_log.hpp"
#include "opsrotate/rotation/rotated_names.hpp"

#include <ops/compress.hpp>
#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/process.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <optional>
#include <sstream>

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
  if (packed.parent_path() != plain.parent_path())
    ops::fail("cannot compress " + plain.string() + " into " + packed.string() + ": another directory");
  ops::InPlaceOptions options;
  options.target = packed.filename().string();
  if (auto how = in_process(c)) {
    options.compress = {how->format, how->level, 0};
  } else {
    options.program = [&](int in, int out) {
      ops::ProcessSpec spec;
      spec.argv = {c.compresscmd.empty() ? std::string("gzip") : c.compresscmd};
      for (auto& w : split_words(c.compressoptions)) spec.argv.push_back(w);
      // logrotate tells the program which file it compresses (its stdin).
      spec.env = {{"LOGROTATE_COMPRESSED_FILENAME", plain.string()}};
      spec.stdin_from = in;
      spec.stdout_to = out;
      ops::Process child = ops::Process::spawn(spec);
      ops::ExitStatus status = child.wait();
      if (!status.success())
        ops::fail(fmt::format("compressing {} with {} failed: {}: {}", plain.string(), spec.argv[0],
                              status.describe(), child.failure_line()));
      // It compressed, and what it said on stderr is passed on, naming the
      // log (the result is checked by compress_in_place all the same).
      for (const auto& line : child.stderr_lines())
        if (!ops::trim(line).empty())
          ops::log::error_line(fmt::format("Compressing {} with {}: {}", plain.string(), spec.argv[0], line));
    };
  }
  ops::InPlaceResult r = ops::compress_in_place(ops::Dir::open_parent(plain), plain.filename().string(), options);
  switch (r.outcome) {
    case ops::InPlace::compressed: break;
    case ops::InPlace::target_exists:
      ops::fail("cannot compress " + plain.string() + ": " + packed.string() + " exists (it is kept)");
    case ops::InPlace::changed:
      ops::fail(plain.string() + " changed while it was compressed; it is left uncompressed");
  }
  return {r.bytes_before, r.bytes_after};
}

}  // namespace opsrotate
