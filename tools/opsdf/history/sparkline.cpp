#include "opsdf/history/sparkline.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace opsdf {

std::string sparkline(const std::vector<double>& values, std::size_t width) {
  static constexpr std::array<const char*, 8> kBlocks{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty() || width == 0) return {};
  // Bucket j holds values [j*n/k, (j+1)*n/k): sizes differ by at most one.
  std::size_t n = values.size();
  std::size_t k = std::min(n, width);
  std::vector<double> buckets(k);
  for (std::size_t j = 0; j < k; ++j) {
    std::size_t begin = j * n / k, end = (j + 1) * n / k;
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += values[i];
    buckets[j] = sum / static_cast<double>(end - begin);
  }
  auto [lo, hi] = std::minmax_element(buckets.begin(), buckets.end());
  double min = *lo, range = *hi - *lo;
  std::string out;
  for (double b : buckets) {
    std::size_t level = 3;
    if (range > 0) level = static_cast<std::size_t>(std::lround((b - min) / range * 7.0));
    out += kBlocks[std::min<std::size_t>(level, 7)];
  }
  return out;
}

}  // namespace opsdf
