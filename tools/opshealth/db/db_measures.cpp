#include "opshealth/db/db_measures.hpp"

#include <algorithm>

namespace opshealth::db {

double connections_percent(std::int64_t used, std::int64_t max) {
  if (max <= 0 || used <= 0) return 0.0;
  return 100.0 * static_cast<double>(used) / static_cast<double>(max);
}

std::chrono::seconds connect_timeout_for(std::chrono::milliseconds left) {
  return std::max(std::chrono::duration_cast<std::chrono::seconds>(left), std::chrono::seconds(1));
}

std::int64_t statement_timeout_ms(std::chrono::milliseconds left) {
  return std::max<std::int64_t>(left.count() * 9 / 10, 1);
}

}  // namespace opshealth::db
