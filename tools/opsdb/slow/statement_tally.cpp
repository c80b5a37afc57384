#include "opsdb/slow/statement_tally.hpp"

#include <algorithm>

namespace opsdb {

void StatementTally::add(StatementStats s) {
  auto [it, inserted] = by_key_.try_emplace({s.database, s.query}, s);
  if (inserted) return;
  StatementStats& t = it->second;
  t.calls += s.calls;
  t.total += s.total;
  t.max = std::max(t.max, s.max);
  t.rows += s.rows;
  if (s.rows_examined) t.rows_examined = t.rows_examined.value_or(0) + *s.rows_examined;
  if (s.example_time > t.example_time) {
    t.example = std::move(s.example);
    t.example_time = s.example_time;
  }
}

std::vector<StatementStats> StatementTally::ranked(SlowSort sort, std::size_t top) const {
  std::vector<StatementStats> rows;
  rows.reserve(by_key_.size());
  for (const auto& [key, s] : by_key_) rows.push_back(s);
  auto value = [sort](const StatementStats& s) {
    switch (sort) {
      case SlowSort::mean: return s.mean();
      case SlowSort::max: return s.max;
      case SlowSort::calls: return static_cast<double>(s.calls);
      case SlowSort::total: break;
    }
    return s.total;
  };
  // Ties by total time, then by text, so that a run's order is the same every time.
  std::stable_sort(rows.begin(), rows.end(), [&](const StatementStats& a, const StatementStats& b) {
    if (value(a) != value(b)) return value(a) > value(b);
    return a.total > b.total;
  });
  if (top && rows.size() > top) rows.resize(top);
  return rows;
}

}  // namespace opsdb
