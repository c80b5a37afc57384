#include "opsrotate/rotation/schedule.hpp"

#include "opsrotate/rotation/local_time.hpp"

#include <ops/units.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace opsrotate {

namespace {

std::string ago(ops::SysTime then, ops::SysTime now) {
  auto d = std::chrono::duration_cast<std::chrono::seconds>(now - then);
  if (d < std::chrono::hours(1)) return fmt::format("{}min ago", d.count() / 60);
  if (d < std::chrono::hours(48)) return fmt::format("{}h ago", d.count() / 3600);
  return fmt::format("{}d ago", d.count() / 86400);
}

// Whether the period of the criterion has changed since the last rotation.
bool period_passed(const LogConfig& c, ops::SysTime last, ops::SysTime now) {
  const ops::LocalTime l = local_time(last), n = local_time(now);
  bool new_year = l.year != n.year;
  bool new_month = new_year || l.month != n.month;
  bool new_day = new_month || l.day != n.day;
  switch (c.frequency) {
    case Frequency::hourly: return new_day || l.hour != n.hour;
    case Frequency::daily: return new_day;
    case Frequency::weekly: {
      int days = calendar_days_between(last, now);
      if (days >= 7) return true;
      if (c.weekday == 7 || days <= 0) return false;
      // A day with the configured weekday lies in (last, now].
      return (n.weekday - c.weekday + 7) % 7 < days;
    }
    case Frequency::monthly: return new_month;
    case Frequency::yearly: return new_year;
    case Frequency::size: return false;
  }
  return false;
}

// "12M", or "1.2K (not counting the 3.9K kept at the last rotation)".
std::string size_text(const LogFacts& f, std::uint64_t size) {
  if (f.kept == 0) return ops::format_size(size);
  return fmt::format("{} (not counting the {} kept at the last rotation)", ops::format_size(size),
                     ops::format_size(f.kept));
}

}  // namespace

Decision decide(const LogConfig& c, const LogFacts& f, ops::SysTime now, bool force) {
  using ops::format_size;
  const std::uint64_t size = f.size - std::min(f.kept, f.size);  // what is new
  // notifempty wins even over -f, as in logrotate.
  if (!c.ifempty && size == 0)
    return {false, f.size == 0 ? "empty, notifempty"
                               : fmt::format("only the {} kept at the last rotation, notifempty", format_size(f.size))};
  if (force) return {true, "forced (-f)"};

  ops::SysTime last = f.last_rotated.value_or(first_seen_time(now));
  if (f.last_rotated && last > now) return {true, "last rotated in the future"};

  Decision d;
  if (c.frequency == Frequency::size) {
    if (size >= c.size) d = {true, fmt::format("size {} >= {}", size_text(f, size), format_size(c.size))};
    else d = {false, fmt::format("size {} < {}", size_text(f, size), format_size(c.size))};
  } else if (c.maxsize && size > *c.maxsize) {
    d = {true, fmt::format("size {} > maxsize {}", size_text(f, size), format_size(*c.maxsize))};
  } else if (period_passed(c, last, now)) {
    d = {true, fmt::format("{}, last rotated {}", frequency_name(c.frequency), ago(last, now))};
  } else if (!f.last_rotated) {
    d = {false, fmt::format("first seen, {} from now on", frequency_name(c.frequency))};
  } else {
    d = {false, fmt::format("rotated {}, {}", ago(last, now), frequency_name(c.frequency))};
  }
  if (!d.rotate) return d;

  if (c.frequency != Frequency::size && c.minsize && size < *c.minsize)
    return {false, fmt::format("size {} < minsize {}", size_text(f, size), format_size(*c.minsize))};
  if (c.minage && now - f.modified < std::chrono::days(*c.minage))
    return {false, fmt::format("modified {}, minage {}d", ago(f.modified, now), *c.minage)};
  return d;
}

}  // namespace opsrotate
