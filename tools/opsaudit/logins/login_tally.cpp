#include "opsaudit/logins/login_tally.hpp"

#include <ops/local_time.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace opsaudit {
namespace {

// A time on the local wall clock. The zone's offset is asked once per
// quarter hour of the times shown (a zone changes its offset on a quarter
// hour at most often): a report of 50,000 addresses shows 200,000 times.
std::string local_text(ops::SysTime t, bool full) {
  using namespace std::chrono;
  thread_local std::int64_t quarter = INT64_MIN;
  thread_local seconds offset{0};
  const std::int64_t q = duration_cast<seconds>(t.time_since_epoch()).count() / 900;
  if (q != quarter) {
    const auto local = ops::to_local(t);
    if (!local) return "?";
    const auto wall = local->date() + hours{local->hour} + minutes{local->minute} + seconds{local->second};
    offset = duration_cast<seconds>(wall - floor<seconds>(t).time_since_epoch() - sys_days{});
    quarter = q;
  }
  const auto wall = floor<seconds>(t) + offset;
  const auto day = floor<days>(wall);
  const year_month_day ymd{day};
  const hh_mm_ss hms{wall - day};
  if (full)
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
  return fmt::format("{:02}-{:02} {:02}:{:02}", static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count());
}
std::string when(ops::SysTime t) { return local_text(t, true); }
std::string short_when(ops::SysTime t) { return local_text(t, false); }

void keep_once(std::vector<std::string>& list, std::string_view value, std::size_t max) {
  for (const auto& v : list)
    if (v == value) return;
  if (list.size() < max) list.emplace_back(value);
}

std::string names(const std::vector<std::string>& users, std::uint64_t more) {
  std::string out;
  for (const auto& u : users) {
    if (!out.empty()) out += ' ';
    out += u.empty() ? "\"\"" : ops::printable_line(u, 40);
  }
  if (more) out += fmt::format(" +{} more", more);
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace

LoginTally::Address& LoginTally::address(std::string_view key) {
  if (last_ && key == last_key_) return *last_;
  auto it = addresses_.find(key);
  if (it == addresses_.end()) it = addresses_.emplace(std::string(key), Address{}).first;
  last_key_.assign(key);
  last_ = &it->second;
  return *last_;
}

void LoginTally::add(const AuthEvent& e) {
  reached(e.time);
  const std::string_view key = e.address.empty() ? kNoAddress : std::string_view(e.address);
  if (e.time < period_.since) {
    if (e.success) address(key).logged_in_before = true;
    return;
  }
  Address& a = address(key);
  keep_once(a.sources, e.source, 4);
  if (e.success) {
    ++successes_;
    if (!a.successes || e.time < a.first_success) {
      a.first_success = e.time;
      a.first_user = e.user;
      a.first_method = e.method;
    }
    if (!a.successes || e.time >= a.last_success) {
      a.last_success = e.time;
      a.last_user = e.user;
    }
    ++a.successes;
    if (e.user == "root") {
      ++a.root_logins;
      a.last_root = std::max(a.last_root, e.time);
    }
    if (success_list_.size() < kSuccessesKept) success_list_.push_back({e.time, e.user, e.address, e.method, e.source});
    return;
  }
  ++failures_;
  if (!a.failures || e.time < a.first) a.first = e.time;
  if (!a.failures || e.time > a.last) a.last = e.time;
  ++a.failures;
  if (std::find(a.users.begin(), a.users.end(), e.user) == a.users.end()) {
    if (a.users.size() < kUsersKept) a.users.push_back(e.user);
    else ++a.more_users;
  }
  if (e.invalid_user) {
    ++invalid_attempts_;
    auto n = invalid_names_.find(e.user);
    if (n != invalid_names_.end()) ++n->second;
    else if (invalid_names_.size() < kNamesKept) invalid_names_.emplace(e.user, 1);
    else ++invalid_names_dropped_;
  }
}

void LoginTally::report(Section& section) const {
  const long long threshold = period_.threshold;
  std::vector<const std::pair<const std::string, Address>*> ranked;
  for (const auto& entry : addresses_)
    if (entry.second.failures) ranked.push_back(&entry);
  std::sort(ranked.begin(), ranked.end(), [](auto* x, auto* y) {
    return x->second.failures != y->second.failures ? x->second.failures > y->second.failures : x->first < y->first;
  });

  ops::Table table({{"address"}, {"failures", ops::ColumnKind::integer}, {"first"}, {"last"}, {"users"}, {"sources"}});
  std::uint64_t over = 0;
  for (const auto* entry : ranked) {
    const auto& [address, a] = *entry;
    const bool followed = a.successes && a.last_success > a.first;
    if (static_cast<long long>(a.failures) >= threshold) {
      ++over;
      std::string detail = fmt::format("{} failure{} from {} to {}, users {}, from {}", a.failures,
                                       a.failures == 1 ? "" : "s", short_when(a.first), short_when(a.last),
                                       names(a.users, a.more_users), joined(a.sources));
      if (followed) detail += fmt::format("; then a login as {} at {}", ops::printable_line(a.last_user, 40),
                                          short_when(a.last_success));
      section.findings.push_back({followed ? Severity::critical : Severity::warning, "failed_logins", address, detail});
      table.add_row({address, static_cast<std::int64_t>(a.failures), when(a.first), when(a.last),
                     names(a.users, a.more_users), joined(a.sources)});
    } else if (followed) {
      section.findings.push_back(
          {Severity::warning, "success_after_failures", address,
           fmt::format("login as {} at {} after {} failure{} since {} (users {})", ops::printable_line(a.last_user, 40),
                       short_when(a.last_success), a.failures, a.failures == 1 ? "" : "s", short_when(a.first),
                       names(a.users, a.more_users))});
    }
  }
  std::vector<const std::pair<const std::string, Address>*> logged;
  for (const auto& entry : addresses_)
    if (entry.second.successes) logged.push_back(&entry);
  std::sort(logged.begin(), logged.end(), [](auto* x, auto* y) { return x->first < y->first; });
  for (const auto* entry : logged) {
    const auto& [address, a] = *entry;
    if (a.root_logins)
      section.findings.push_back({Severity::warning, "root_login", address,
                                  fmt::format("{} login{} as root, the last at {}", a.root_logins,
                                              a.root_logins == 1 ? "" : "s", short_when(a.last_root))});
    if (covered_ && !a.logged_in_before && address != kNoAddress)
      section.findings.push_back(
          {Severity::info, "new_address", address,
           fmt::format("login as {} at {} ({}), none from it in the {} before", ops::printable_line(a.first_user, 40),
                       short_when(a.first_success), a.first_method, ops::format_duration(period_.length))});
  }
  if (!covered_ && successes_)
    section.notes.push_back(fmt::format("no line before {}: the logins of the {} before are unknown, new addresses not judged",
                                        short_when(period_.since), ops::format_duration(period_.length)));
  if (invalid_attempts_) {
    std::vector<std::pair<std::string, std::uint64_t>> top(invalid_names_.begin(), invalid_names_.end());
    const std::size_t shown = std::min<std::size_t>(5, top.size());
    std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(shown), top.end(),
                      [](auto& x, auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
    std::string most;
    for (std::size_t i = 0; i < shown; ++i)
      most += fmt::format("{}{} ({})", i ? ", " : "", top[i].first.empty() ? "\"\"" : ops::printable_line(top[i].first, 40),
                          top[i].second);
    const std::uint64_t distinct = invalid_names_.size() + (invalid_names_dropped_ ? 1 : 0);
    section.findings.push_back({Severity::info, "invalid_users", fmt::format("{}{} names", distinct, invalid_names_dropped_ ? "+" : ""),
                                fmt::format("{} attempt{} at user names that do not exist, most tried: {}",
                                            invalid_attempts_, invalid_attempts_ == 1 ? "" : "s", most)});
  }
  section.details.push_back({"addresses", std::move(table)});
  ops::Table logins({{"time"}, {"user"}, {"address"}, {"method"}, {"source"}});
  std::vector<Success> sorted = success_list_;
  std::stable_sort(sorted.begin(), sorted.end(), [](auto& x, auto& y) { return x.time < y.time; });
  for (const auto& s : sorted)
    logins.add_row({when(s.time), ops::printable_line(s.user, 60), s.address.empty() ? std::string(kNoAddress) : s.address,
                    s.method, s.source});
  if (successes_ > success_list_.size())
    section.notes.push_back(fmt::format("{} successful logins, the first {} listed", successes_, success_list_.size()));
  section.details.push_back({"successes", std::move(logins)});
  section.figures["logins_failures"] = static_cast<double>(failures_);
  section.figures["logins_successes"] = static_cast<double>(successes_);
  section.figures["logins_addresses_over_threshold"] = static_cast<double>(over);
  section.figures["logins_invalid_attempts"] = static_cast<double>(invalid_attempts_);
}

}  // namespace opsaudit
