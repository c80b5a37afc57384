// opsbackup retention: restic `forget` semantics on the backup histories a sysadmin keeps.
#include "opsbackup/store/retention.hpp"

#include <ops/clock.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace std::chrono;
using opsbackup::KeepPolicy;
using opsbackup::RetentionDecision;
using opsbackup::RetentionItem;
using Lines = std::vector<std::string>;  // one per decision, as lines() prints them

namespace {

// A backup taken at a local wall-clock time (TZ), named like the man page's table: "2025-03-14 02:00".
RetentionItem backup(int y, int mo, int d, int h = 2, int mi = 0) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  char id[32];
  std::strftime(id, sizeof id, "%Y-%m-%d %H:%M", &tm);
  return {id, ops::SysTime{seconds{t}}};
}

RetentionItem backup(year_month_day date, int h = 2, int mi = 0) {
  const auto month_number = static_cast<int>(unsigned{date.month()});
  const auto day_number = static_cast<int>(unsigned{date.day()});
  return backup(int{date.year()}, month_number, day_number, h, mi);
}

// One backup a day at a local time from `from` to `to`, oldest first (as a directory listing might give them).
std::vector<RetentionItem> nightly(year_month_day from, year_month_day to, int hour = 2, int minute = 0) {
  std::vector<RetentionItem> items;
  for (sys_days d = from; d <= sys_days{to}; d += days{1}) items.push_back(backup(year_month_day{d}, hour, minute));
  return items;
}

// "2025-03-14 02:00 keep daily 1, weekly 1" or "2025-03-13 02:00 remove": one line per decision.
Lines lines(const std::vector<RetentionDecision>& decisions) {
  Lines out;
  for (const RetentionDecision& d : decisions) {
    std::string line = d.id + (d.keep ? " keep" : " remove");
    for (std::size_t i = 0; i < d.reasons.size(); ++i) line += (i ? ", " : " ") + d.reasons[i];
    out.push_back(line);
  }
  return out;
}

// lines() of the kept backups only.
Lines kept_lines(const std::vector<RetentionDecision>& decisions) {
  const Lines all = lines(decisions);
  Lines out;
  for (std::size_t i = 0; i < decisions.size(); ++i)
    if (decisions[i].keep) out.push_back(all[i]);
  return out;
}

// The .nf table of the man page's worked example: the page if the section is there, else the fragment it
// is pasted from. Reading the page itself is what keeps the documentation from drifting from the code.
Lines worked_example_rows(std::string& policy_line) {
  const std::string heading = ".SS \"Retention, worked example\"";
  for (const char* rel : {"man/opsbackup.1", "tools/opsbackup/retention-example.roff"}) {
    const std::string text = ops::test::slurp(std::filesystem::path(OPS_SOURCE_DIR) / rel);
    const std::size_t at = text.find(heading);
    if (at == std::string::npos) continue;
    std::istringstream in(text.substr(at + heading.size()));
    Lines rows;
    bool table = false;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(".B ", 0) == 0 && policy_line.empty()) policy_line = line.substr(3);
      if (line == ".nf") table = true;
      else if (line == ".fi") return rows;
      else if (table) rows.push_back(std::regex_replace(line, std::regex(R"(\\-)"), "-"));
    }
  }
  FAIL("no .SS \"Retention, worked example\" table in man/opsbackup.1 or tools/opsbackup/retention-example.roff");
  return {};
}

}  // namespace

TEST_CASE("retention: 30 nightly backups with keep-daily 7 keep the newest 7") {
  ops::test::TzGuard tz("Europe/Berlin");
  const auto decisions = opsbackup::apply_retention(nightly(2025y / 4 / 1, 2025y / 4 / 30), {.daily = 7});
  REQUIRE(decisions.size() == 30);
  for (int i = 0; i < 30; ++i) {
    INFO("decision " << i << ": " << lines(decisions)[i]);
    CHECK(decisions[i].id == backup(2025y / 4 / day(30 - i)).id);  // newest first
    CHECK(decisions[i].keep == (i < 7));
    if (i < 7) CHECK(decisions[i].reasons == Lines{"daily " + std::to_string(i + 1)});
    else CHECK(decisions[i].reasons.empty());
  }
}

TEST_CASE("retention: of two backups on one day, keep-daily keeps the later") {
  ops::test::TzGuard tz("Europe/Berlin");
  // The nightly run, then one by hand before an upgrade.
  const auto decisions =
      opsbackup::apply_retention({backup(2025, 3, 11), backup(2025, 3, 12), backup(2025, 3, 12, 14, 30)}, {.daily = 7});
  CHECK(lines(decisions) ==
        Lines{"2025-03-12 14:30 keep daily 1", "2025-03-12 02:00 remove", "2025-03-11 02:00 keep daily 2"});
}

TEST_CASE("retention: keep-weekly counts ISO 8601 weeks, also across the new year") {
  ops::test::TzGuard tz("UTC");
  SECTION("2024-12-30 and 2025-01-02 are both in 2025-W01") {
    const auto decisions = opsbackup::apply_retention(
        {backup(2024, 12, 23), backup(2024, 12, 29), backup(2024, 12, 30), backup(2025, 1, 2), backup(2025, 1, 6)},
        {.weekly = 10});
    CHECK(lines(decisions) == Lines{"2025-01-06 02:00 keep weekly 1", "2025-01-02 02:00 keep weekly 2",
                                    "2024-12-30 02:00 remove", "2024-12-29 02:00 keep weekly 3",
                                    "2024-12-23 02:00 remove"});
  }
  SECTION("2021-01-03 is in 2020-W53, with 2020-12-28") {
    const auto decisions =
        opsbackup::apply_retention({backup(2020, 12, 28), backup(2021, 1, 3), backup(2021, 1, 4)}, {.weekly = 10});
    CHECK(lines(decisions) ==
          Lines{"2021-01-04 02:00 keep weekly 1", "2021-01-03 02:00 keep weekly 2", "2020-12-28 02:00 remove"});
  }
  SECTION("ISO year 2020 (2019-12-30 to 2021-01-03) has 53 weeks, each kept by its Sunday") {
    const auto decisions = opsbackup::apply_retention(nightly(2019y / 12 / 30, 2021y / 1 / 3), {.weekly = -1});
    REQUIRE(decisions.size() == 371);
    std::size_t kept = 0;
    for (const RetentionDecision& d : decisions) {
      if (!d.keep) continue;
      ++kept;
      INFO(d.id);
      CHECK(weekday{floor<days>(d.time)} == Sunday);
      CHECK(d.reasons == Lines{"weekly " + std::to_string(kept)});
    }
    CHECK(kept == 53);
  }
}

TEST_CASE("retention: keep-monthly 12 over two years of nightly backups keeps the last of each month") {
  ops::test::TzGuard tz("Europe/Berlin");
  const auto decisions = opsbackup::apply_retention(nightly(2023y / 6 / 1, 2025y / 5 / 20), {.monthly = 12});
  // May 2025 is still running: its newest backup stands for it.
  Lines expected{"2025-05-20 02:00 keep monthly 1"};
  for (year_month m = 2025y / 4; m >= 2024y / 6; m -= months{1})
    expected.push_back(backup(year_month_day{m / last}).id + " keep monthly " + std::to_string(expected.size() + 1));
  CHECK(expected.back() == "2024-06-30 02:00 keep monthly 12");
  CHECK(kept_lines(decisions) == expected);
  CHECK(decisions.size() == 720);
}

TEST_CASE("retention: days without a backup do not use up keep-daily") {
  ops::test::TzGuard tz("Europe/Berlin");
  // The server was down for three days, 5 to 7 March.
  std::vector<RetentionItem> items = nightly(2025y / 3 / 1, 2025y / 3 / 10);
  items.erase(items.begin() + 4, items.begin() + 7);
  CHECK(lines(opsbackup::apply_retention(items, {.daily = 5})) ==
        Lines{"2025-03-10 02:00 keep daily 1", "2025-03-09 02:00 keep daily 2", "2025-03-08 02:00 keep daily 3",
              "2025-03-04 02:00 keep daily 4", "2025-03-03 02:00 keep daily 5", "2025-03-02 02:00 remove",
              "2025-03-01 02:00 remove"});
}

TEST_CASE("retention: rules are ORed and their reasons accumulate") {
  ops::test::TzGuard tz("Europe/Berlin");
  const auto decisions = opsbackup::apply_retention(nightly(2024y / 11 / 1, 2025y / 1 / 15),
                                                    {.last = 2, .daily = 3, .weekly = 3, .monthly = 3, .yearly = 2});
  CHECK(kept_lines(decisions) ==
        Lines{
            "2025-01-15 02:00 keep last 1, daily 1, weekly 1, monthly 1, yearly 1",  // a Wednesday, in 2025-W03
            "2025-01-14 02:00 keep last 2, daily 2",
            "2025-01-13 02:00 keep daily 3",
            "2025-01-12 02:00 keep weekly 2",  // Sunday of 2025-W02
            "2025-01-05 02:00 keep weekly 3",  // Sunday of 2025-W01
            "2024-12-31 02:00 keep monthly 2, yearly 2",
            "2024-11-30 02:00 keep monthly 3",
        });
  CHECK(decisions.size() == 76);
}

TEST_CASE("retention: keep-last N keeps the N newest, however close together") {
  ops::test::TzGuard tz("Europe/Berlin");
  const auto decisions =
      opsbackup::apply_retention({backup(2025, 3, 12, 9), backup(2025, 3, 12, 9, 5), backup(2025, 3, 12, 9, 5),
                                  backup(2025, 3, 12, 10), backup(2025, 3, 11)},
                                 {.last = 3});
  CHECK(lines(decisions) == Lines{"2025-03-12 10:00 keep last 1", "2025-03-12 09:05 keep last 2",
                                  "2025-03-12 09:05 keep last 3", "2025-03-12 09:00 remove",
                                  "2025-03-11 02:00 remove"});
}

TEST_CASE("retention: -1 keeps every period") {
  ops::test::TzGuard tz("Europe/Berlin");
  std::vector<RetentionItem> items = nightly(2025y / 1 / 1, 2025y / 1 / 20);
  for (const RetentionItem& afternoon : nightly(2025y / 1 / 1, 2025y / 1 / 20, 14)) items.push_back(afternoon);
  SECTION("keep-daily -1: one backup a day, the later") {
    const auto decisions = opsbackup::apply_retention(items, {.daily = -1});
    Lines expected;
    for (int d = 20; d >= 1; --d)
      expected.push_back(backup(2025, 1, d, 14).id + " keep daily " + std::to_string(21 - d));
    CHECK(kept_lines(decisions) == expected);
    CHECK(decisions.size() == 40);
  }
  SECTION("keep-last -1: all of them") {
    const auto decisions = opsbackup::apply_retention(items, {.last = -1});
    REQUIRE(decisions.size() == 40);
    for (std::size_t i = 0; i < decisions.size(); ++i)
      CHECK(decisions[i].reasons == Lines{"last " + std::to_string(i + 1)});
  }
}

TEST_CASE("retention: no backups, no decisions") {
  CHECK(opsbackup::apply_retention({}, {.daily = 7}).empty());
  CHECK(opsbackup::apply_retention({}, {}).empty());
}

TEST_CASE("retention: the newest backup is always kept") {
  ops::test::TzGuard tz("Europe/Berlin");
  const std::vector<RetentionItem> items = nightly(2023y / 1 / 1, 2025y / 3 / 14);
  SECTION("by every rule in use, so it never needs the fallback") {
    for (const KeepPolicy& policy :
         {KeepPolicy{.last = 1}, KeepPolicy{.hourly = 1}, KeepPolicy{.daily = 1}, KeepPolicy{.weekly = 1},
          KeepPolicy{.monthly = 1}, KeepPolicy{.yearly = 1}, KeepPolicy{.hourly = 0, .yearly = -1}}) {
      const auto decisions = opsbackup::apply_retention(items, policy);
      CHECK(decisions.front().id == "2025-03-14 02:00");
      CHECK(decisions.front().keep);
      CHECK(decisions.front().reasons.size() == 1);
      CHECK(decisions.front().reasons.front() != "newest");
    }
  }
  SECTION("also when no rule is in use (keep-hourly 0 and so on), which callers refuse") {
    const auto decisions = opsbackup::apply_retention(items, {.last = 0, .hourly = 0, .daily = 0});
    CHECK(kept_lines(decisions) == Lines{"2025-03-14 02:00 keep newest"});
    CHECK(decisions.size() == items.size());
  }
  SECTION("a single backup") {
    CHECK(lines(opsbackup::apply_retention({backup(2025, 3, 14)}, {.weekly = 4})) ==
          Lines{"2025-03-14 02:00 keep weekly 1"});
  }
}

TEST_CASE("retention: periods are local calendar periods, also across daylight saving time") {
  ops::test::TzGuard tz("Europe/Berlin");
  // Clocks go forward on Sunday 2025-03-30 at 02:00 CET, to 03:00 CEST.
  REQUIRE(backup(2025, 3, 30, 0, 30).time == ops::parse_time("2025-03-29T23:30:00Z"));
  REQUIRE(backup(2025, 3, 31, 0, 30).time == ops::parse_time("2025-03-30T22:30:00Z"));
  SECTION("nightly at 00:30 local: one per calendar day") {
    const auto decisions = opsbackup::apply_retention(nightly(2025y / 3 / 27, 2025y / 4 / 2, 0, 30), {.daily = -1});
    Lines expected;
    for (sys_days d = 2025y / 4 / 2; d >= 2025y / 3 / 27; d -= days{1})
      expected.push_back(backup(year_month_day{d}, 0, 30).id + " keep daily " + std::to_string(expected.size() + 1));
    CHECK(expected.front() == "2025-04-02 00:30 keep daily 1");
    CHECK(lines(decisions) == expected);
  }
  SECTION("at 00:30 and 23:30 local: the 23:30 one of each local day, not of each UTC day") {
    std::vector<RetentionItem> items = nightly(2025y / 3 / 27, 2025y / 4 / 2, 0, 30);
    for (RetentionItem& late : nightly(2025y / 3 / 27, 2025y / 4 / 2, 23, 30)) items.push_back(std::move(late));
    const auto decisions = opsbackup::apply_retention(items, {.daily = -1});
    Lines expected;
    for (sys_days d = 2025y / 4 / 2; d >= 2025y / 3 / 27; d -= days{1})
      expected.push_back(backup(year_month_day{d}, 23, 30).id + " keep daily " + std::to_string(expected.size() + 1));
    CHECK(kept_lines(decisions) == expected);
  }
  SECTION("hourly: the hour skipped in spring is no period; the hour repeated in autumn is one") {
    const auto spring =
        opsbackup::apply_retention({backup(2025, 3, 30, 1, 30), backup(2025, 3, 30, 3, 30)}, {.hourly = -1});
    CHECK(lines(spring) == Lines{"2025-03-30 03:30 keep hourly 1", "2025-03-30 01:30 keep hourly 2"});
    // Clocks go back on 2025-10-26 at 03:00 CEST, to 02:00 CET: 02:30 happens twice.
    const auto autumn = opsbackup::apply_retention({{"02:30 CEST", ops::parse_time("2025-10-26T02:30:00+02:00")},
                                                    {"02:30 CET", ops::parse_time("2025-10-26T02:30:00+01:00")},
                                                    {"03:30 CET", ops::parse_time("2025-10-26T03:30:00+01:00")}},
                                                   {.hourly = -1});
    CHECK(lines(autumn) == Lines{"03:30 CET keep hourly 1", "02:30 CET keep hourly 2", "02:30 CEST remove"});
  }
}

TEST_CASE("retention: backups with equal times keep their order") {
  ops::test::TzGuard tz("Europe/Berlin");
  const ops::SysTime t = backup(2025, 3, 14).time;
  const std::vector<RetentionItem> items{{"b", t}, {"older", t - days{1}}, {"a", t}, {"c", t}};
  CHECK(lines(opsbackup::apply_retention(items, {.last = 2})) ==
        Lines{"b keep last 1", "a keep last 2", "c remove", "older remove"});
  CHECK(lines(opsbackup::apply_retention(items, {.daily = 7})) ==
        Lines{"b keep daily 1", "a remove", "c remove", "older keep daily 2"});

  // Enough of them that an unstable sort would mix them up.
  std::vector<RetentionItem> many;
  Lines expected;
  for (int i = 0; i < 60; ++i) many.push_back({std::to_string(i), t - hours{i % 3}});
  for (int hour = 0; hour < 3; ++hour)
    for (int i = hour; i < 60; i += 3) expected.push_back(std::to_string(i));
  Lines ids;
  for (const RetentionDecision& d : opsbackup::apply_retention(many, {.hourly = 3})) ids.push_back(d.id);
  CHECK(ids == expected);
}

TEST_CASE("retention: the worked example of the man page") {
  ops::test::TzGuard tz("Europe/Berlin");
  std::string policy_line;
  const Lines rows = worked_example_rows(policy_line);
  CHECK(policy_line == R"(\-\-keep\-daily 7 \-\-keep\-weekly 4 \-\-keep\-monthly 12)");
  REQUIRE(rows.size() > 1);
  CHECK(rows.front().rfind("backup ", 0) == 0);

  // "2025-03-14 Fri 02:00  keep      daily 1, weekly 1, monthly 1" or "2025-03-12 Wed 02:00  remove"
  const std::regex row(R"(^(\d{4})-(\d\d)-(\d\d) (\w{3}) (\d\d):(\d\d) +(keep|remove)(?: +(\S.*))?$)");
  std::vector<RetentionItem> items;
  Lines expected;
  for (auto it = rows.begin() + 1; it != rows.end(); ++it) {
    INFO("row: " << *it);
    std::smatch m;
    REQUIRE(std::regex_match(*it, m, row));
    const auto field = [&](int i) { return std::stoi(m[i]); };
    RetentionItem item = backup(field(1), field(2), field(3), field(5), field(6));
    const std::time_t t = item.time.time_since_epoch().count();
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char weekday_name[8];
    std::strftime(weekday_name, sizeof weekday_name, "%a", &tm);
    CHECK(m[4] == weekday_name);
    expected.push_back(item.id + " " + m[7].str() + (m[8].matched ? " " + m[8].str() : ""));
    items.insert(items.begin(), std::move(item));  // oldest first, as a directory listing might give them
  }
  CHECK(lines(opsbackup::apply_retention(items, {.daily = 7, .weekly = 4, .monthly = 12})) == expected);
}
