// The table of upkeep verbs.
#include "opsdb/upkeep/verb.hpp"

namespace opsdb {

const std::vector<const Verb*>& all_verbs() {
  static const std::vector<const Verb*> verbs{&analyze_verb(), &vacuum_verb(), &optimize_verb(), &check_verb(),
                                              &reindex_verb()};
  return verbs;
}

const Verb* find_verb(std::string_view name) {
  for (const Verb* verb : all_verbs())
    if (verb->name() == name) return verb;
  return nullptr;
}

}  // namespace opsdb
