#pragma once
// The options of the upkeep verbs, declared once: they are the options of
// `opsdb analyze|vacuum|optimize|check|reindex` and the keys of [dbupkeep]
// and [dbupkeep.NAME] (run/dbupkeep_sections.hpp), read the same way.

#include "opsdb/upkeep/verb.hpp"

#include <ops/cli.hpp>
#include <ops/sections.hpp>

#include <string>
#include <vector>

namespace opsdb {

// Keys: table, exclude, lock_timeout, jobs, min_dead, min_xid_age, full,
// skip_analyze, extended, password_file. Each is also an option (--table, --lock-timeout …).
const ops::SectionSchema& upkeep_schema();

struct UpkeepSettings {
  std::vector<std::string> tables;   // globs on NAME or SCHEMA.NAME; empty: every user table
  std::vector<std::string> exclude;  // globs, applied after tables
  int jobs = 1;
  std::string password_file;
  VerbOptions verb;
};

// Settings from checked values (the command line's or a section's). A bad
// --min-dead is an exit-3 error naming where it came from.
UpkeepSettings upkeep_settings(const ops::SectionValues& values);

}  // namespace opsdb
