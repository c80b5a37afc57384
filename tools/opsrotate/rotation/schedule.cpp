#include "opsrotate/rotation/schedule.hpp"

#include "opsrotate/rotation/local_time.hpp"

#include <ops/units.hpp>

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

}  // namespace

Decision decide(const LogConfig& c, const LogFacts& f, ops::SysTime now, bool force) {
  using ops::format_size;
  // notifempty wins even over -f, as in logrotate.
  if (!c.ifempty && f.size == 0) return {false, "empty, notifempty"};
  if (force) return {true, "forced (-f)"};

  ops::SysTime last = f.last_rotated.value_or(first_seen_time(now));
  if (f.last_rotated && last > now) return {true, "last rotated in the future"};

  Decision d;
  if (c.frequency == Frequency::size) {
    if (f.size >= c.size) d = {true, fmt::format("size {} >= {}", format_size(f.size), format_size(c.size))};
    else d = {false, fmt::format("size {} < {}", format_size(f.size), format_size(c.size))};
  } else if (c.maxsize && f.size > *c.maxsize) {
    d = {true, fmt::format("size {} > maxsize {}", format_size(f.size), format_size(*c.maxsize))};
  } else if (period_passed(c, last, now)) {
    d = {true, fmt::format("{}, last rotated {}", frequency_name(c.frequency), ago(last, now))};
  } else if (!f.last_rotated) {
    d = {false, fmt::format("first seen, {} from now on", frequency_name(c.frequency))};
  } else {
    d = {false, fmt::format("rotated {}, {}", ago(last, now), frequency_name(c.frequency))};
  }
  if (!d.rotate) return d;

  if (c.frequency != Frequency::size && c.minsize && f.size < *c.minsize)
    return {false, fmt::format("size {} < minsize {}", format_size(f.size), format_size(*c.minsize))};
  if (c.minage && now - f.modified < std::chrono::days(*c.minage))
    return {false, fmt::format("modified {}, minage {}d", ago(f.modified, now), *c.minage)};
  return d;
}

}  // namespace opsrotate
