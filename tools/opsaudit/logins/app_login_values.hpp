#pragma once
// The values of an application's login rows as its database hands them over
// in text form, read into what an AuthEvent holds. Apart from the database
// so that every accepted spelling is tested without a server.

#include <ops/clock.hpp>

#include <optional>
#include <string_view>

namespace opsaudit {

// The time column: a timestamp as PostgreSQL, MariaDB and SQLite print it
// ("2026-12-06 09:12:01", "…T…", a fraction, "Z", "+00", "+0100",
// "+01:00"; no zone: UTC, which the connection is set to) or seconds since
// the epoch ("1764998400", "1764998400.25", as EXTRACT(EPOCH …) gives them).
// nullopt for anything else: NULL, "infinity", MySQL's zero date, year 0.
std::optional<ops::SysTime> app_login_time(std::string_view text);

// The succeeded column: true/false, t/f, 1/0, yes/no, success/failure, in
// any case. nullopt for anything else.
std::optional<bool> app_login_success(std::string_view text);

}  // namespace opsaudit
