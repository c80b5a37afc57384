// libFuzzer target for log reading: whatever the bytes, the timestamp
// readers (ops/log_time.hpp) return a time or nothing, and read_log
// (ops/log_reader.hpp), reading them as a file backwards in blocks, hands
// over records or throws ops::Error; a crash, a leak, undefined behaviour
// or a record with no line is a finding.
#include <ops/error.hpp>
#include <ops/log_reader.hpp>
#include <ops/log_time.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ::setenv("TZ", "UTC", 1);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ops::SysTime now = ops::parse_time("2026-12-06T09:30:00Z");
  ops::LogTimeReader reader(now);
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    (void)ops::find_log_time(line, now);
    (void)reader.time_of(line);
    start = end + 1;
  }
  // The same bytes as a file: read backwards, small lines limits so that a
  // line longer than a block is cut.
  const int fd = ::memfd_create("fuzz.log", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  if (size && ::write(fd, data, size) != static_cast<ssize_t>(size)) std::abort();
  ops::LogReadOptions options;
  options.since = now - std::chrono::hours(1);
  options.rotated = false;
  options.max_untimed = 3;
  options.max_line = 100;
  try {
    ops::read_log("/proc/self/fd/" + std::to_string(fd), now, options, [](const ops::LogRecord& record) {
      if (record.lines.empty()) std::abort();
      return true;
    });
  } catch (const ops::Error&) {
    // A compressed input cut short: refused with a message.
  }
  ::close(fd);
  return 0;
}
