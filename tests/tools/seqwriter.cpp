// seqwriter: the writer and the checker of the copytruncate loss benchmark.
//
//   seqwriter FILE SECONDS        append numbered lines to FILE (O_APPEND, one
//                                 write per line, as a logger does) as fast as
//                                 it can for SECONDS; print how many it wrote
//   seqwriter --check COUNT FILE…  read the files (plain or compressed), in the
//                                 order given, and count which of 0..COUNT-1
//                                 are missing or there more than once
//
// A line is "%012llu " and padding to 100 bytes. --check prints
// "missing N", "duplicated N" and "malformed N" (lines that are not one of
// ours, e.g. a line split by a rotation), one a line; exit 0 when all are 0.
#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <charconv>
#include <chrono>
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

int write_lines(const char* file, std::uint64_t seconds) {
  ops::Fd fd = ops::open_file(file, O_WRONLY | O_APPEND | O_CREAT, 0644);
  char line[kLineSize];
  std::memset(line, 'x', sizeof line);
  line[kDigits] = ' ';
  line[kLineSize - 1] = '\n';
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::uint64_t n = 0;
  for (;; ++n) {
    if ((n & 255) == 0 && std::chrono::steady_clock::now() >= deadline) break;
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

 private:
  void line(std::string_view l) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(l.data(), l.data() + std::min(l.size(), kDigits), v);
    if (l.size() != kLineSize - 1 || ec != std::errc() || p != l.data() + kDigits || v >= seen_.size()) {
      ++malformed_;
      return;
    }
    if (seen_[v]++) ++duplicated_;
  }

  std::vector<std::uint8_t> seen_;
  std::string partial_;
  std::uint64_t duplicated_ = 0;
  std::uint64_t malformed_ = 0;
};

int check(std::uint64_t count, int argc, char** argv) {
  Checker checker(count);
  for (int i = 0; i < argc; ++i) {
    ops::Fd fd = ops::open_file(argv[i], O_RDONLY);
    ops::decompress_fd(fd.get(), argv[i], [&](std::string_view d) { checker.feed(d); });
  }
  checker.finish();
  std::printf("missing %llu\nduplicated %llu\nmalformed %llu\n", static_cast<unsigned long long>(checker.missing()),
              static_cast<unsigned long long>(checker.duplicated()),
              static_cast<unsigned long long>(checker.malformed()));
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
