#pragma once
// PostgreSQL's transaction-ID wraparound, as every tool measures it: a
// database or table whose oldest unfrozen transaction ID is 2^31 old would
// wrap around. opshealth's db check and opsdb bloat count the same headroom.

#include <cstdint>

namespace ops::db {

// The age (in transaction IDs) at which a PostgreSQL database would wrap
// around: 2^31. The server stops taking new transactions about three million
// IDs before it, so 100% is never reached; the percentage is the share of
// this limit already used.
inline constexpr double kXidWraparoundAge = 2147483648.0;

// age(datfrozenxid) or age(relfrozenxid) as a percentage of
// kXidWraparoundAge (0 for a negative age).
inline double wraparound_percent(std::int64_t age) {
  return age <= 0 ? 0.0 : 100.0 * static_cast<double>(age) / kXidWraparoundAge;
}

}  // namespace ops::db
