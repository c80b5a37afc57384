#include <ops/progress.hpp>

#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

namespace ops {

Progress::Progress(std::string label, std::uint64_t total, bool quiet)
    : label_(std::move(label)), total_(total), enabled_(!quiet && ::isatty(STDERR_FILENO)) {}

Progress::~Progress() { finish(); }

void Progress::update(std::uint64_t done, const std::string& detail) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  std::string line;
  if (total_ > 0) {
    constexpr int width = 30;
    auto filled = static_cast<int>(width * std::min<double>(1.0, static_cast<double>(done) / static_cast<double>(total_)));
    line = fmt::format("{} [{}{}] {}/{} {}", label_, std::string(static_cast<std::size_t>(filled), '#'),
                       std::string(static_cast<std::size_t>(width - filled), ' '), done, total_, detail);
  } else {
    line = fmt::format("{} {} {}", label_, done, detail);
  }
  if (line.size() > 100) line.resize(100);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace ops
