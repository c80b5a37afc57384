#pragma once
// --sleep between batches takes fractions of a second ("0.5s", "250ms"),
// which the suite's durations (whole seconds and up) do not.

#include <chrono>
#include <string_view>

namespace opsarchive {

// "0.5s", "250ms", "2" (seconds), "1min"; exit 3 naming `where` otherwise.
std::chrono::milliseconds parse_pause(std::string_view text, std::string_view where);

}  // namespace opsarchive
