#pragma once
// A one-line progress indicator on stderr, shown only when stderr is a
// terminal and the user did not ask for --quiet: cron mail and pipes stay clean.

#include <chrono>
#include <cstdint>
#include <string>

namespace ops {

class Progress {
 public:
  // total = 0 when unknown (then a counter is shown instead of a bar).
  Progress(std::string label, std::uint64_t total, bool quiet);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  // Redraws at most a few times a second, so calling it per item is cheap.
  void update(std::uint64_t done, const std::string& detail = {});
  void finish();
  bool enabled() const noexcept { return enabled_; }

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace ops
