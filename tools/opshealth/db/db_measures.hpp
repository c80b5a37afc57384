#pragma once
// The arithmetic of the db check, apart from its SQL so it can be tested
// alone: the wraparound headroom, the share of max_connections in use, and
// how the check's deadline becomes the timeouts a server is given.

#include <ops/db_wraparound.hpp>

#include <chrono>
#include <cstdint>

namespace opshealth::db {

// The wraparound limit and the share of it used: libcommon's, which opsdb
// bloat counts by too.
using ops::db::kXidWraparoundAge;
using ops::db::wraparound_percent;

// Connections in use as a percentage of max_connections (0 when the limit is
// unknown or 0: a server that takes no connection has none to spare).
double connections_percent(std::int64_t used, std::int64_t max);

// libpq's connect_timeout and MySQL's MYSQL_OPT_CONNECT_TIMEOUT take whole
// seconds: the time left rounded down, and at least 1 (0 would mean "wait
// forever"). The runner's deadline still ends a check that rounds up past it.
std::chrono::seconds connect_timeout_for(std::chrono::milliseconds left);

// The statement timeout, in milliseconds, for what is left of the deadline:
// nine tenths of it, so a statement the server cancels still leaves the check
// the time to say why; at least 1 (0 would mean "no timeout").
std::int64_t statement_timeout_ms(std::chrono::milliseconds left);

}  // namespace opshealth::db
