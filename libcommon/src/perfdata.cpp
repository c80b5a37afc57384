#include <ops/error.hpp>
#include <ops/perfdata.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

namespace ops {

namespace {

// The label with what would break the perfdata replaced, not yet quoted.
std::string safe_label(std::string_view label) {
  if (label.empty()) return "_";
  std::string out;
  out.reserve(label.size());
  for (char c : label) {
    auto u = static_cast<unsigned char>(c);
    out += (c == '=' || c == '|' || u < 0x20 || u == 0x7f) ? '_' : c;
  }
  return out;
}

std::string single_quoted(std::string_view safe) {
  std::string out = "'";
  for (char c : safe) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// What one unit of `unit` is in the base unit of a range of `range_unit`;
// 0 when they do not go together.
double divisor(RangeUnit range_unit, PerfUnit unit) {
  switch (range_unit) {
    case RangeUnit::none: return 1;
    case RangeUnit::percent: return unit == PerfUnit::percent ? 1 : 0;
    case RangeUnit::seconds:
      if (unit == PerfUnit::seconds) return 1;
      if (unit == PerfUnit::milliseconds) return 1e-3;
      if (unit == PerfUnit::microseconds) return 1e-6;
      return 0;
    case RangeUnit::bytes:
      if (unit == PerfUnit::bytes) return 1;
      if (unit == PerfUnit::kilobytes) return 0x1p10;
      if (unit == PerfUnit::megabytes) return 0x1p20;
      if (unit == PerfUnit::terabytes) return 0x1p40;
      return 0;
  }
  return 0;
}

std::string range_field(const std::optional<Range>& range, const PerfItem& item) {
  if (!range) return {};
  double d = divisor(range->unit, item.unit);
  if (d == 0)
    throw Error(Status::unknown,
                fmt::format("perfdata '{}': the range '{}' is {}, which cannot be printed in '{}'",
                            shown(item.label), shown(range->text), range_unit_name(range->unit),
                            perf_unit_text(item.unit)));
  return format_range(*range, d);
}

}  // namespace

std::string_view perf_unit_text(PerfUnit unit) noexcept {
  switch (unit) {
    case PerfUnit::none: return "";
    case PerfUnit::seconds: return "s";
    case PerfUnit::milliseconds: return "ms";
    case PerfUnit::microseconds: return "us";
    case PerfUnit::percent: return "%";
    case PerfUnit::bytes: return "B";
    case PerfUnit::kilobytes: return "KB";
    case PerfUnit::megabytes: return "MB";
    case PerfUnit::terabytes: return "TB";
    case PerfUnit::counter: return "c";
  }
  return "";
}

std::string perfdata_label(std::string_view label) { return single_quoted(safe_label(label)); }

std::string perfdata_item(const PerfItem& item) {
  std::string value = plain_number(item.value);
  // An unknown value is a bare "U": a unit after it would not parse.
  if (value != "U") value += perf_unit_text(item.unit);
  std::vector<std::string> fields{
      value,
      range_field(item.warn, item),
      range_field(item.crit, item),
      item.min ? plain_number(*item.min) : std::string(),
      item.max ? plain_number(*item.max) : std::string(),
  };
  while (fields.size() > 1 && fields.back().empty()) fields.pop_back();
  std::string out = perfdata_label(item.label) + "=" + fields[0];
  for (std::size_t i = 1; i < fields.size(); ++i) out += ";" + fields[i];
  return out;
}

std::string Perfdata::add(PerfItem item) {
  std::string base = safe_label(item.label);
  std::string label = base;
  for (int n = 2; labels_.count(label) > 0; ++n) label = fmt::format("{}_{}", base, n);
  labels_.insert(label);
  item.label = label;
  items_.push_back(perfdata_item(item));
  return label;
}

std::string Perfdata::text() const {
  std::string out;
  for (const auto& item : items_) {
    if (!out.empty()) out += ' ';
    out += item;
  }
  return out;
}

}  // namespace ops
