// opsbackup retention: which backups a --keep-* policy keeps, as restic's `forget` decides it.
#include "opsbackup/store/retention.hpp"

#include <ops/error.hpp>
#include <ops/local_time.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>

namespace opsbackup {

namespace {

using namespace std::chrono;

// The periods the rules count in; `item` makes every backup a period of its own (keep-last).
enum class Period { item, hour, day, week, month, year };

// One --keep-* option while the backups are walked, newest first.
struct Rule {
  const char* name;
  Period period;
  int left;                             // periods it may still keep; -1 = unlimited
  std::optional<long long> last_key{};  // the period of the backup it kept last
  int kept = 0;                         // periods kept so far, for the reason's ordinal
};

// A backup's calendar date and hour in local time (TZ): periods are the operator's calendar, not UTC's.
struct LocalTime {
  sys_days date;
  int hour;
};

LocalTime local_time(const RetentionItem& item) {
  const auto local = ops::to_local(item.time);
  if (!local)
    throw ops::Error(ops::Status::unknown, "backup " + item.id + ": time out of range: " +
                                               std::to_string(item.time.time_since_epoch().count()));
  return {local->date(), local->hour};
}

// A number that two backups share exactly when they fall in the same period. An ISO 8601
// week (which its week-year and number name) is identified by its Monday, so a week that
// spans New Year, such as 2025-W01 from 2024-12-30, is one week.
long long period_key(Period period, const LocalTime& local, std::size_t index) {
  const long long day_number = local.date.time_since_epoch().count();
  const year_month_day ymd{local.date};
  switch (period) {
    case Period::item: return static_cast<long long>(index);
    case Period::hour: return day_number * 24 + local.hour;
    case Period::day: return day_number;
    case Period::week: return (local.date - (weekday{local.date} - Monday)).time_since_epoch().count();
    case Period::month: return int{ymd.year()} * 12LL + unsigned{ymd.month()};
    case Period::year: return int{ymd.year()};
  }
  return 0;
}

// As restic reads a count: positive, or -1 for every period; 0 (or another negative) leaves the rule out.
bool in_use(const Rule& rule) { return rule.left > 0 || rule.left == -1; }

}  // namespace

std::vector<RetentionDecision> apply_retention(std::vector<RetentionItem> items, const KeepPolicy& policy) {
  std::stable_sort(items.begin(), items.end(),
                   [](const RetentionItem& a, const RetentionItem& b) { return a.time > b.time; });
  std::array<Rule, 6> rules{{{"last", Period::item, policy.last},
                             {"hourly", Period::hour, policy.hourly},
                             {"daily", Period::day, policy.daily},
                             {"weekly", Period::week, policy.weekly},
                             {"monthly", Period::month, policy.monthly},
                             {"yearly", Period::year, policy.yearly}}};

  std::vector<RetentionDecision> decisions;
  decisions.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const LocalTime local = local_time(items[i]);
    RetentionDecision d{std::move(items[i].id), items[i].time, false, {}};
    for (Rule& rule : rules) {
      if (!in_use(rule)) continue;
      const long long key = period_key(rule.period, local, i);
      if (rule.last_key == key) continue;
      rule.last_key = key;
      if (rule.left > 0) --rule.left;
      d.reasons.push_back(std::string(rule.name) + " " + std::to_string(++rule.kept));
    }
    if (i == 0 && d.reasons.empty()) d.reasons.emplace_back("newest");
    d.keep = !d.reasons.empty();
    decisions.push_back(std::move(d));
  }
  return decisions;
}

}  // namespace opsbackup
