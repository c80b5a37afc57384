#pragma once
// Thresholds in the Monitoring Plugins range syntax, so a --warn or --crit
// means what it means to check_load or check_disk: "10" alerts outside 0..10,
// "10:" below 10, "~:10" above 10, "10:20" outside 10..20, "@10:20" inside
// 10..20 (bounds included). A bound may carry a unit: "80%", "2G", "500ms".

#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>

namespace ops {

// What a range's numbers measure. The numbers are kept in the base unit:
// percent as 0-100, bytes as bytes (2G is 2147483648), seconds as seconds
// (500ms is 0.5). none: a plain number (a load, a count).
enum class RangeUnit { none, percent, bytes, seconds };

// One parsed range. The value given to alerts() must be in the same unit.
struct Range {
  double start = 0;                                         // -infinity for "~"
  double end = std::numeric_limits<double>::infinity();     // infinity for "10:"
  bool inside = false;                                      // "@": alert inside start..end
  RangeUnit unit = RangeUnit::none;
  std::string text;                                         // as the user wrote it, for messages

  // Outside start..end (or inside with "@"), bounds included in start..end.
  // A NaN value (not measured) always alerts: it is never silently OK.
  bool alerts(double value) const noexcept;
};

// Parses a range. Sizes are read by parse_size (K/M/G/T are powers of 1024)
// and durations by parse_seconds (ms, s, min, h…), so "2G" and "500ms" mean
// here what they mean in every ops option. Both bounds share one unit; a bare
// bound beside a unit is refused unless it is 0 ("1:2G" is 1 byte or 1G?).
// `units`, when given, are the units the check measures in: another unit is
// refused, and a bare number takes the check's unit when it has only one and
// that is % or seconds (check_http's "-w 5" is 5 s); otherwise a bare number
// is refused for a check without RangeUnit::none (disk: 80% or 2G?).
// A malformed range is a usage error (exit 3) naming the text.
Range parse_range(std::string_view text, std::initializer_list<RangeUnit> units = {});

// The range as the guidelines print it in perfdata ("10", "10:", "~:10",
// "@10:20"), its numbers divided by `divisor` (1024 for KB from bytes, 0.001
// for ms from seconds) and printed by plain_number.
std::string format_range(const Range& range, double divisor = 1);

// A number as perfdata needs it: plain decimal, never exponent notation
// ("0.00000015", "100000000000000000000"), the shortest text that reads back
// as the same double; "U" (the guidelines' unknown value) for NaN or infinity.
std::string plain_number(double value);

// "a percentage", "a size", "a duration", "a plain number": for messages.
std::string_view range_unit_name(RangeUnit unit) noexcept;

}  // namespace ops
