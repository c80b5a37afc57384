#pragma once
// A small unicode sparkline ("▁▂▄▆█") that shows the shape of a history in
// one column of text output.

#include <cstddef>
#include <string>
#include <vector>

namespace opsdf {

// values in time order, averaged into at most `width` buckets of consecutive
// values, then mapped onto the eight block characters from the smallest to
// the largest bucket. A flat series is a row of "▄"; no values, "".
std::string sparkline(const std::vector<double>& values, std::size_t width = 20);

}  // namespace opsdf
