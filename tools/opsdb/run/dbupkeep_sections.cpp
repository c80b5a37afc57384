// [dbupkeep.NAME] sections: the verbs' keys, declared once in
// upkeep_schema(), and the two keys only a section has.
#include "opsdb/run/dbupkeep_sections.hpp"

#include "opsdb/commands.hpp"

#include <ops/error.hpp>
#include <ops/value_check.hpp>

#include <fmt/format.h>

namespace opsdb {

namespace {

// "vacuum reindex" or "vacuum, reindex": a line may name several verbs.
std::vector<std::string> words_of(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  for (char c : std::string(line) + " ") {
    if (c == ' ' || c == '\t' || c == ',') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  return words;
}

ops::ValueCheck verbs_check() {
  return [](std::string_view text, const ops::Config&) {
    if (words_of(text).empty()) ops::fail_usage("no verb named (expected analyze, vacuum, optimize, check or reindex)");
    for (const auto& word : words_of(text))
      if (!find_verb(word)) {
        std::vector<std::string> names;
        for (const Verb* verb : all_verbs()) names.emplace_back(verb->name());
        const auto near = ops::cli::suggest(word, names);
        ops::fail_usage(fmt::format("invalid verb '{}' (expected analyze, vacuum, optimize, check or reindex)", word),
                        near ? fmt::format("did you mean '{}'?", *near) : std::string());
      }
  };
}

}  // namespace

const ops::SectionSchema& dbupkeep_schema() {
  static const ops::SectionSchema schema = [] {
    ops::SectionSchema s = upkeep_schema();
    s.keys.insert(s.keys.begin(),
                  {ops::SectionKey("database", ops::KeyType::text, "NAME of a [db.NAME] section, or a DSN")
                       .as_required()
                       .with_check(ops::database_check()),
                   ops::SectionKey("verbs", ops::KeyType::list,
                                   "the verbs to run, in order (analyze, vacuum, optimize, check, reindex; "
                                   "default: the engine's monthly set)")
                       .with_check(verbs_check())});
    return s;
  }();
  return schema;
}

std::vector<const Verb*> default_verbs(ops::db::Engine engine) {
  switch (engine) {
    case ops::db::Engine::postgresql: return {&vacuum_verb(), &reindex_verb()};
    case ops::db::Engine::mysql: return {&optimize_verb(), &analyze_verb(), &check_verb()};
    case ops::db::Engine::sqlite: return {&check_verb(), &vacuum_verb()};
  }
  return {};
}

std::vector<UpkeepJob> read_upkeep_jobs(const ops::Config& config) {
  std::vector<UpkeepJob> jobs;
  for (const auto& name : config.named_sections("dbupkeep")) {
    const ops::SectionValues values = ops::read_section(config, dbupkeep_schema(), name);
    UpkeepJob job;
    job.name = name;
    job.where = values.where();
    job.database = *values.text("database");
    // A list key may hold several words on one line ("verbs = analyze vacuum").
    for (const auto& line : values.list("verbs"))
      for (const auto& word : words_of(line)) job.verbs.push_back(find_verb(word));
    job.verbs_given = !job.verbs.empty();
    job.settings = upkeep_settings(values);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

void check_dbupkeep_sections(const ops::Config& config) { read_upkeep_jobs(config); }

}  // namespace opsdb
