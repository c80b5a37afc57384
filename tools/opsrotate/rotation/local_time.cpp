#include "opsrotate/rotation/local_time.hpp"

namespace opsrotate {

ops::LocalTime local_time(ops::SysTime t) { return ops::to_local(t).value_or(ops::LocalTime{}); }

int calendar_days_between(ops::SysTime a, ops::SysTime b) {
  return static_cast<int>((local_time(b).date() - local_time(a).date()).count());
}

ops::SysTime first_seen_time(ops::SysTime now) {
  ops::LocalTime hour = local_time(now);
  hour.minute = 0;
  hour.second = 0;
  return ops::from_local(hour);
}

}  // namespace opsrotate
