#pragma once
// [dbupkeep.NAME]: one database's monthly upkeep. Its keys are those of the
// verbs' options (upkeep/upkeep_options.hpp; the plain [dbupkeep] section
// gives their defaults), plus `database` and `verbs`.

#include "opsdb/upkeep/upkeep_options.hpp"
#include "opsdb/upkeep/verb.hpp"

#include <ops/config.hpp>
#include <ops/sections.hpp>

#include <string>
#include <vector>

namespace opsdb {

const ops::SectionSchema& dbupkeep_schema();

struct UpkeepJob {
  std::string name;      // NAME of [dbupkeep.NAME]
  std::string where;     // "/etc/ops/ops.conf:12"
  std::string database;  // NAME of [db.NAME] or a DSN
  std::vector<const Verb*> verbs;  // in the order they run
  bool verbs_given = false;        // false: the engine's default set
  UpkeepSettings settings;
};

// The verbs a section gets when it names none: the guides' monthly task.
// PostgreSQL: vacuum (VACUUM ANALYZE), reindex; MySQL/MariaDB: optimize,
// analyze, check; SQLite: check, vacuum.
std::vector<const Verb*> default_verbs(ops::db::Engine engine);

// Every [dbupkeep.NAME], in file order, checked whole (exit 3 naming the
// file and line) before anything runs.
std::vector<UpkeepJob> read_upkeep_jobs(const ops::Config& config);

}  // namespace opsdb
