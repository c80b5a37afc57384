// The upkeep verbs' options and [dbupkeep] keys, declared once.
#include "opsdb/upkeep/upkeep_options.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>
#include <ops/value_check.hpp>

#include <fmt/format.h>

namespace opsdb {

const ops::SectionSchema& upkeep_schema() {
  using ops::KeyType;
  using ops::SectionKey;
  static const ops::SectionSchema schema{
      "dbupkeep",
      "a [dbupkeep.NAME] section",
      {
          SectionKey("table", KeyType::list, "only tables whose NAME or SCHEMA.NAME matches GLOB (repeatable)")
              .with_option("table,t", "GLOB")
              .inherited(),
          SectionKey("exclude", KeyType::list, "leave out tables whose NAME or SCHEMA.NAME matches GLOB (repeatable)")
              .with_option("exclude", "GLOB")
              .inherited(),
          SectionKey("lock_timeout", KeyType::duration,
                     "give up a table whose lock is not had within DURATION: skipped with a warning")
              .with_option("lock-timeout", "DURATION")
              .with_default("5s")
              .with_check(ops::duration_check(1))
              .inherited(),
          SectionKey("jobs", KeyType::integer, "work on N tables at once over N connections (as vacuumdb -j)")
              .with_option("jobs,j", "N")
              .with_default("1")
              .with_range(1, 64)
              .inherited(),
          SectionKey("min_dead", KeyType::text,
                     "vacuum/analyze/optimize only tables with at least PERCENT dead (or changed) rows")
              .with_option("min-dead", "PERCENT")
              .with_check(ops::threshold_check(true))
              .inherited(),
          SectionKey("min_xid_age", KeyType::integer,
                     "PostgreSQL: also vacuum tables whose oldest transaction ID is at least N transactions old")
              .with_option("min-xid-age", "N")
              .with_range(0, 2'147'483'647)
              .inherited(),
          SectionKey("full", KeyType::flag,
                     "PostgreSQL vacuum: VACUUM FULL, which rewrites the table under an ACCESS EXCLUSIVE lock")
              .with_option("full"),
          SectionKey("skip_analyze", KeyType::flag, "vacuum: a plain VACUUM, the statistics left as they are")
              .with_option("skip-analyze")
              .inherited(),
          SectionKey("extended", KeyType::flag,
                     "check: read every row too (CHECK TABLE … EXTENDED; amcheck heapallindexed and verify_heapam)")
              .with_option("extended")
              .inherited(),
          SectionKey("password_file", KeyType::path, "password for the database (first line of FILE)")
              .with_option("password-file", "FILE"),
      }};
  return schema;
}

UpkeepSettings upkeep_settings(const ops::SectionValues& values) {
  UpkeepSettings s;
  s.tables = values.list("table");
  s.exclude = values.list("exclude");
  s.jobs = static_cast<int>(values.integer("jobs").value_or(1));
  s.password_file = values.text("password_file").value_or("");
  s.verb.full = values.flag("full");
  s.verb.skip_analyze = values.flag("skip_analyze");
  s.verb.extended = values.flag("extended");
  s.verb.lock_timeout = values.duration("lock_timeout").value_or(std::chrono::seconds{5});
  if (auto text = values.text("min_dead")) s.verb.min_dead = ops::parse_threshold(*text).percent / 100.0;
  if (auto age = values.integer("min_xid_age")) s.verb.min_xid_age = *age;
  return s;
}

}  // namespace opsdb
