#pragma once
// Performance data after a Nagios line's "|", by the Monitoring Plugins
// guidelines: 'label'=value[UOM];warn;crit;min;max for each figure, so
// Icinga, PNP4Nagios or Grafana can graph a check.

#include <ops/nagios_range.hpp>

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ops {

// The units of measure the guidelines allow (there is no GB among them).
// KB, MB and TB are powers of 1024, as check_disk's were and as ops reads sizes.
enum class PerfUnit { none, seconds, milliseconds, microseconds, percent, bytes, kilobytes, megabytes, terabytes, counter };

// "", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c".
std::string_view perf_unit_text(PerfUnit unit) noexcept;

// One figure. warn and crit are printed in the item's unit: a range of sizes
// as B/KB/MB/TB, of seconds as s/ms/us, of percent as %; a plain-number range
// with any unit as it is. Any other pairing is a programming error (ops::Error,
// unknown). min and max are already in the item's unit.
struct PerfItem {
  std::string label;
  double value = std::nan("");  // NaN: could not be measured, printed "U"
  PerfUnit unit = PerfUnit::none;
  std::optional<Range> warn;
  std::optional<Range> crit;
  std::optional<double> min;
  std::optional<double> max;
};

// A label quoted as the guidelines want: in single quotes, a quote in it
// doubled ("it's" is 'it''s'). '=' and '|' (which would end the label or the
// perfdata) and control characters become '_'; an empty label is "_".
std::string perfdata_label(std::string_view label);

// One item: 'label'=value[UOM];warn;crit;min;max with trailing empty fields
// dropped ("'load1'=0.5" when there are no thresholds).
std::string perfdata_item(const PerfItem& item);

// The perfdata of one run. Labels must be unique in it; a label already used
// is not an error (a monitoring run must still print), it is made unique:
// the second "db" becomes "db_2", the third "db_3". add() returns the label
// actually used, so the caller can name it in its message.
class Perfdata {
 public:
  std::string add(PerfItem item);
  // The items separated by single spaces, in the order added ("" when none).
  std::string text() const;
  bool empty() const noexcept { return items_.empty(); }

 private:
  std::vector<std::string> items_;
  std::set<std::string> labels_;  // after perfdata_label's replacements, unquoted
};

}  // namespace ops
