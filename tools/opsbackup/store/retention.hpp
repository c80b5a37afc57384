#pragma once
// Which backups a retention policy keeps, with restic's `forget` semantics:
// backups are taken newest first; each rule (--keep-last, --keep-hourly,
// --keep-daily, --keep-weekly, --keep-monthly, --keep-yearly) keeps the newest
// backup of each of its periods (hour, calendar day, ISO week, month, year) until
// its count is used up; only periods that hold a backup count; the rules are
// ORed. Periods are calendar periods in local time (TZ). The newest complete
// backup is always kept, whatever the rules say.

#include <ops/clock.hpp>

#include <string>
#include <vector>

namespace opsbackup {

struct KeepPolicy {
  // 0 = rule not used; -1 = unlimited (every period).
  int last = 0, hourly = 0, daily = 0, weekly = 0, monthly = 0, yearly = 0;
  bool empty() const noexcept { return !last && !hourly && !daily && !weekly && !monthly && !yearly; }
};

struct RetentionItem {
  std::string id;    // the backup's file stem, for messages and tests
  ops::SysTime time; // when the backup started (from its name / manifest)
};

struct RetentionDecision {
  std::string id;
  ops::SysTime time;
  bool keep = false;
  // Why it is kept: "last 1", "daily 3", "weekly 1", "newest" … (rule name and
  // the ordinal of the period within the rule); empty when removed.
  std::vector<std::string> reasons;
};

// Decisions for every item, newest first. Items with equal times keep their
// relative order. The policy must not be empty (the caller refuses that): a
// policy with no rule in use keeps only the newest item ("newest"), where restic
// would keep everything. Unlike restic 0.17, a rule with counts left over does not
// also keep the oldest item. Reads TZ as it is now; throws ops::Error for a
// time the local calendar cannot represent.
std::vector<RetentionDecision> apply_retention(std::vector<RetentionItem> items, const KeepPolicy& policy);

}  // namespace opsbackup
