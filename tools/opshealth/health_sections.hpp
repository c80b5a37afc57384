#pragma once
// [health.NAME] sections: one configured check each, `check = KIND` with
// the kind's keys, and `target` for its arguments:
//
//   [health.app]
//   check = db
//   target = app
//   warn_time = 500ms

#include "opshealth/runner.hpp"

#include <ops/config.hpp>
#include <ops/sections.hpp>

#include <vector>

namespace opshealth {

// The schema of a [health.NAME] section of `kind`: check, target, then the kind's keys.
const ops::SectionSchema& section_schema(const Kind& kind);

// The values a kind's keys take when nothing gives them: their defaults.
ops::SectionValues default_settings(const Kind& kind);

// Every [health.NAME] section as a planned check labelled "KIND NAME" (or
// "KIND" when NAME is KIND), in
// the order of the file. Throws ops::Error (usage) naming the file and line.
std::vector<Planned> configured_checks(const ops::Config& config);

}  // namespace opshealth
