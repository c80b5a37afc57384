#include <ops/error.hpp>
#include <ops/nagios_range.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <optional>

namespace ops {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

[[noreturn]] void bad_range(std::string_view text, std::string_view why) {
  fail_usage(fmt::format("invalid range '{}': {}", shown(text), why),
             "ranges look like 10, 10:, ~:10, 10:20 or @10:20, with units like 80%, 2G, 500ms");
}

struct Bound {
  double value = 0;
  RangeUnit unit = RangeUnit::none;  // none: a bare number
};

// A plain decimal number, the whole text ("12", "-3.5", ".5").
std::optional<double> plain(std::string_view s) {
  if (s.empty() || s.find_first_not_of("0123456789.") != std::string_view::npos) return std::nullopt;
  double number = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return number;
}

// One bound of a range: a number, negative only without a unit, then
// nothing, %, a duration unit or a size unit.
Bound parse_bound(std::string_view range_text, std::string_view s) {
  bool negative = !s.empty() && s.front() == '-';
  std::string_view body = negative ? s.substr(1) : s;
  if (body.empty() || !(std::isdigit(static_cast<unsigned char>(body.front())) || body.front() == '.'))
    bad_range(range_text, fmt::format("'{}' is not a number", shown(s)));
  double sign = negative ? -1 : 1;
  if (auto n = plain(body)) return {sign * *n, RangeUnit::none};
  if (body.back() == '%') {
    auto n = plain(body.substr(0, body.size() - 1));
    if (!n) bad_range(range_text, fmt::format("'{}' is not a percentage", shown(s)));
    return {sign * *n, RangeUnit::percent};
  }
  Bound bound;
  // Durations first: their units (ms, s, min, h, d…) never read as sizes, and
  // "5m" — minutes to one reader, MiB to another — is refused by parse_seconds
  // and read as a size, the one unit K/M/G/T means everywhere in ops.
  try {
    bound = {parse_seconds(body), RangeUnit::seconds};
  } catch (const Error&) {
    try {
      bound = {static_cast<double>(parse_size(body)), RangeUnit::bytes};
    } catch (const Error&) {
      bad_range(range_text, fmt::format("'{}' has an unknown unit (use %, B, K, M, G, T, ms, s, min, h, d)",
                                        shown(s)));
    }
  }
  if (negative)
    bad_range(range_text, fmt::format("'{}': {} cannot be negative", shown(s), range_unit_name(bound.unit)));
  return bound;
}

std::string unit_list(std::initializer_list<RangeUnit> units) {
  std::string out;
  std::size_t i = 0;
  for (RangeUnit u : units) {
    if (i > 0) out += i + 1 == units.size() ? " or " : ", ";
    out += range_unit_name(u);
    ++i;
  }
  return out;
}

}  // namespace

std::string_view range_unit_name(RangeUnit unit) noexcept {
  switch (unit) {
    case RangeUnit::none: return "a plain number";
    case RangeUnit::percent: return "a percentage";
    case RangeUnit::bytes: return "a size";
    case RangeUnit::seconds: return "a duration";
  }
  return "a plain number";
}

bool Range::alerts(double value) const noexcept {
  if (std::isnan(value)) return true;
  bool within = value >= start && value <= end;
  return inside ? within : !within;
}

Range parse_range(std::string_view text, std::initializer_list<RangeUnit> units) {
  std::string_view s = trim(text);
  Range range;
  range.text = std::string(s);
  if (s.empty()) bad_range(text, "empty");
  if (s.front() == '@') {
    range.inside = true;
    s.remove_prefix(1);
    if (s.empty()) bad_range(text, "nothing after '@'");
  }
  std::optional<Bound> start;
  std::optional<Bound> end;
  std::size_t colon = s.find(':');
  if (colon == std::string_view::npos) {
    if (s == "~") bad_range(text, "'~' is a start: write ~:10");
    end = parse_bound(text, s);
    range.start = 0;
    range.end = end->value;
  } else {
    std::string_view left = s.substr(0, colon);
    std::string_view right = s.substr(colon + 1);
    if (right.find(':') != std::string_view::npos) bad_range(text, "more than one ':'");
    if (left.empty()) bad_range(text, "no start before ':' (write 0:10, or ~:10 for no lower bound)");
    if (left == "~") {
      range.start = -infinity;
    } else {
      start = parse_bound(text, left);
      range.start = start->value;
    }
    if (right.empty()) {
      range.end = infinity;
    } else {
      if (right == "~") bad_range(text, "'~' is only a start: leave the end empty for no upper bound");
      end = parse_bound(text, right);
      range.end = end->value;
    }
  }
  // One unit for both bounds; a bare 0 goes with any ("0:2G").
  RangeUnit start_unit = start ? start->unit : RangeUnit::none;
  RangeUnit end_unit = end ? end->unit : RangeUnit::none;
  if (start_unit != RangeUnit::none && end_unit != RangeUnit::none && start_unit != end_unit)
    bad_range(text, fmt::format("mixes {} and {}", range_unit_name(start_unit), range_unit_name(end_unit)));
  range.unit = start_unit != RangeUnit::none ? start_unit : end_unit;
  if (range.unit != RangeUnit::none) {
    for (const std::optional<Bound>& bound : {start, end})
      if (bound && bound->unit == RangeUnit::none && bound->value != 0)
        bad_range(text, fmt::format("give both bounds a unit ('{}' is a bare number beside {})",
                                    plain_number(bound->value), range_unit_name(range.unit)));
  }
  if (range.start > range.end) bad_range(text, "the start is above the end");
  if (units.size() > 0 && std::find(units.begin(), units.end(), range.unit) == units.end()) {
    bool bare = range.unit == RangeUnit::none;
    if (bare && units.size() == 1 && *units.begin() != RangeUnit::bytes) {
      range.unit = *units.begin();
    } else if (bare) {
      bad_range(text, fmt::format("a bare number is ambiguous here: give {} with its unit", unit_list(units)));
    } else {
      bad_range(text, fmt::format("expected {}, not {}", unit_list(units), range_unit_name(range.unit)));
    }
  }
  return range;
}

std::string plain_number(double value) {
  if (!std::isfinite(value)) return "U";
  if (value == 0) return "0";  // and never "-0"
  std::string shortest = fmt::format("{}", value);
  std::size_t e = shortest.find_first_of("eE");
  if (e == std::string::npos) return shortest;
  // "1.5e-07": as many decimals as the mantissa has, shifted by the exponent.
  int exponent = 0;
  std::string_view exp_text = std::string_view(shortest).substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  std::size_t dot = shortest.find('.');
  int decimals = dot == std::string::npos || dot > e ? 0 : static_cast<int>(e - dot - 1);
  return fmt::format("{:.{}f}", value, std::max(0, decimals - exponent));
}

std::string format_range(const Range& range, double divisor) {
  std::string out = range.inside ? "@" : "";
  double start = range.start / divisor;
  double end = range.end / divisor;
  if (std::isinf(range.start))
    out += "~:" + (std::isinf(range.end) ? std::string() : plain_number(end));
  else if (std::isinf(range.end))
    out += plain_number(start) + ":";
  else if (range.start == 0)
    out += plain_number(end);
  else
    out += plain_number(start) + ":" + plain_number(end);
  return out;
}

}  // namespace ops
