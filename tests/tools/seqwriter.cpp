// seqwriter: the writer and the checker of the copytruncate loss benchmark.
//
//   seqwriter FILE SECONDS        append numbered lines to FILE (O_APPEND, one
//                                 write per line, as a logger does) as fast as
//                                 it can for SECONDS (0: until SIGTERM, for a
//                                 test that stops it when its rotations are
//                                 done, however slow the machine); on SIGTERM
//                                 or at the end, print how many it wrote
//   seqwriter --check COUNT FILE…  read the files (plain or compressed), in the
//                                 order given, as one stream, and count which
//                                 of 0..COUNT-1 are missing or there more than
//                                 once
//
// A line is "%012llu " and padding to 100 bytes. --check prints
// "missing N", "duplicated N", "malformed N" (lines that are not one of
// ours, e.g. a line split by a rotation), "gaps N" (runs of missing lines)
// and "gaps_inside_files N" (runs not at the start of a file: those a
// rotation cannot explain), one a line; exit 0 when all are 0.
#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t kLineSize = 100;
constexpr std::size_t kDigits = 12;

int usage() {
  std::fputs("usage: seqwriter FILE SECONDS\n       seqwriter --check COUNT FILE...\n", stderr);
  return 3;
}

std::uint64_t number_arg(const char* text) {
  std::uint64_t v = 0;
  const char* end = text + std::strlen(text);
  auto [p, ec] = std::from_chars(text, end, v);
  if (ec != std::errc() || p != end) ops::fail_usage(std::string("not a number: ") + text);
  return v;
}

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) { stop_requested = 1; }

int write_lines(const char* file, std::uint64_t seconds) {
  struct sigaction sa {};
  sa.sa_handler = request_stop;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGTERM, &sa, nullptr);
  ops::Fd fd = ops::open_file(file, O_WRONLY | O_APPEND | O_CREAT, 0644);
  char line[kLineSize];
  std::memset(line, 'x', sizeof line);
  line[kDigits] = ' ';
  line[kLineSize - 1] = '\n';
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::uint64_t n = 0;
  for (;; ++n) {
    if (stop_requested) break;
    if (seconds && (n & 255) == 0 && std::chrono::steady_clock::now() >= deadline) break;
    char digits[kDigits + 1];
    std::snprintf(digits, sizeof digits, "%012llu", static_cast<unsigned long long>(n));
    std::memcpy(line, digits, kDigits);
    ops::write_all(fd.get(), std::string_view(line, sizeof line), file);
  }
  fd.close();
  std::printf("%llu\n", static_cast<unsigned long long>(n));
  return 0;
}

// Counts lines by number as the bytes stream in; a line may span chunks and
// files (the files are read as one stream, oldest first).
class Checker {
 public:
  explicit Checker(std::uint64_t count) : seen_(count, 0) {}

  void feed(std::string_view data) {
    while (!data.empty()) {
      auto nl = data.find('\n');
      if (nl == std::string_view::npos) {
        partial_.append(data);
        return;
      }
      partial_.append(data.substr(0, nl));
      line(partial_);
      partial_.clear();
      data.remove_prefix(nl + 1);
    }
  }
  // The next bytes fed are another file's.
  void next_file() { first_in_file_ = true; }
  void finish() {
    if (!partial_.empty()) ++malformed_;
    partial_.clear();
  }

  std::uint64_t missing() const {
    std::uint64_t m = 0;
    for (auto s : seen_) m += s == 0;
    return m;
  }
  std::uint64_t duplicated() const { return duplicated_; }
  std::uint64_t malformed() const { return malformed_; }
  std::uint64_t gaps() const { return gaps_ + (next_ < seen_.size() ? 1 : 0); }
  std::uint64_t gaps_inside_files() const { return gaps_inside_files_; }

 private:
  void line(std::string_view l) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(l.data(), l.data() + std::min(l.size(), kDigits), v);
    if (l.size() != kLineSize - 1 || ec != std::errc() || p != l.data() + kDigits || v >= seen_.size()) {
      // (A line whose end a truncate lost, joined to the next file's first
      // line, leaves the next line still "first in its file".)
      ++malformed_;
      return;
    }
    if (seen_[v]++) ++duplicated_;
    if (v > next_) {  // a run of missing lines ends here
      ++gaps_;
      if (!first_in_file_) ++gaps_inside_files_;
    }
    next_ = std::max(next_, v + 1);
    first_in_file_ = false;
  }

  std::vector<std::uint8_t> seen_;
  std::string partial_;
  std::uint64_t duplicated_ = 0;
  std::uint64_t malformed_ = 0;
  std::uint64_t gaps_ = 0;
  std::uint64_t gaps_inside_files_ = 0;
  std::uint64_t next_ = 0;  // one past the highest line seen
  bool first_in_file_ = true;
};

int check(std::uint64_t count, int argc, char** argv) {
  Checker checker(count);
  for (int i = 0; i < argc; ++i) {
    ops::Fd fd = ops::open_file(argv[i], O_RDONLY);
    checker.next_file();
    ops::decompress_fd(fd.get(), argv[i], [&](std::string_view d) { checker.feed(d); });
  }
  checker.finish();
  auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf("missing %llu\nduplicated %llu\nmalformed %llu\ngaps %llu\ngaps_inside_files %llu\n", u(checker.missing()),
              u(checker.duplicated()), u(checker.malformed()), u(checker.gaps()), u(checker.gaps_inside_files()));
  return checker.missing() || checker.duplicated() || checker.malformed() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 3 && std::string_view(argv[1]) == "--check") return check(number_arg(argv[2]), argc - 3, argv + 3);
    if (argc == 3) return write_lines(argv[1], number_arg(argv[2]));
    return usage();
  } catch (const ops::Error& e) {
    std::fprintf(stderr, "seqwriter: error: %s\n", e.what());
    return static_cast<int>(e.status());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seqwriter: error: %s\n", e.what());
    return 2;
  }
}
