#pragma once
// Sizes and durations as operators write them in configs and on command lines
// ("512K", "1.5G", "90d", "30min") and as we print them back to people.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ops {

// Parses a size: a number (may have a fraction) and an optional unit.
// K/M/G/T/P (and KiB/MiB/…) are powers of 1024, like df -h and logrotate;
// KB/MB/GB/TB are powers of 1000; B or no unit means bytes. Case-insensitive.
// Throws ops::Error (unknown, exit 3) naming the bad text.
std::uint64_t parse_size(std::string_view text);

// "0B", "512B", "1.5K", "12M", "3.2G": at most one decimal, IEC powers of 1024.
std::string format_size(std::uint64_t bytes);

// Parses a duration: one or more number+unit groups ("1h30min", "90d").
// Units: s, sec, min, h, d, w, mo/month (30 days), y (365 days). A bare
// number is refused: a duration without a unit is ambiguous. So is "m"/"M"
// alone (minutes or months?): refused, naming min and mo, never guessed.
std::chrono::seconds parse_duration(std::string_view text);

// The same for a latency or a timeout: also ms and us, and the fraction is
// kept ("500ms" is 0.5, "1.5s" is 1.5). A bare number is refused as above.
double parse_seconds(std::string_view text);

// The largest units that describe d exactly: "90d", "1h30min", "45s", "0s".
std::string format_duration(std::chrono::seconds d);

// A measured time as people read it: "0.4 ms", "12 ms", "3.2 s", and from a
// minute on format_duration's "4min5s" (whole seconds). For latencies,
// query times and the like, where the fraction matters only when small.
std::string format_seconds(double seconds);

// A threshold that is either a percentage ("80%") or an absolute size ("2G").
// A bare number ("80") is refused: it could be either.
struct Threshold {
  enum class Kind { percent, bytes } kind = Kind::percent;
  double percent = 0;        // when kind == percent
  std::uint64_t bytes = 0;   // when kind == bytes
};
Threshold parse_threshold(std::string_view text);

}  // namespace ops
