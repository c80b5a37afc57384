#include "opshealth/health_sections.hpp"

#include "opshealth/commands.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <map>
#include <memory>
#include <mutex>

namespace opshealth {
namespace {

std::vector<std::string> kind_names() {
  std::vector<std::string> names;
  for (const Kind& k : kinds()) names.push_back(k.name);
  return names;
}

// The KIND a [health.NAME] section names, read before its other keys: it
// decides which keys the section may have.
const Kind& kind_of_section(const ops::Config& config, const std::string& name) {
  const ops::ConfigSection* section = config.section("health." + name);
  const ops::ConfigEntry* check = nullptr;
  for (const auto& e : section->entries)
    if (e.key == "check") check = &e;
  if (!check)
    ops::fail_usage(fmt::format("{}: [health.{}] has no 'check' key", config.where(section->line), ops::shown(name)),
                    fmt::format("say which check it is: check = {}", fmt::join(kind_names(), "|")));
  const Kind* kind = find_kind(check->value);
  if (!kind)
    ops::fail_usage(fmt::format("{}: unknown check '{}' in [health.{}]", config.where(check->line),
                                ops::shown(check->value), ops::shown(name)),
                    fmt::format("the checks are {}", fmt::join(kind_names(), ", ")));
  return *kind;
}

}  // namespace

const ops::SectionSchema& section_schema(const Kind& kind) {
  // Built once per kind and kept: SectionValues points at its schema.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<ops::SectionSchema>> schemas;
  std::lock_guard lock(mutex);
  auto& slot = schemas[kind.name];
  if (!slot) {
    auto schema = std::make_unique<ops::SectionSchema>();
    schema->kind = "health";
    schema->title = fmt::format("a [health.NAME] section with check = {}", kind.name);
    schema->keys.push_back(ops::SectionKey("check", ops::KeyType::text, "the kind of check: cpu, db, http…")
                               .as_required()
                               .with_check(ops::word_check(kind_names())));
    if (kind.max_args != 0)
      schema->keys.push_back(ops::SectionKey("target", ops::KeyType::list,
                                             fmt::format("what the check looks at: {}", kind.args_usage)));
    for (const auto& key : kind.schema.keys) schema->keys.push_back(key);
    slot = std::move(schema);
  }
  return *slot;
}

ops::SectionValues default_settings(const Kind& kind) {
  ops::SectionValues values(kind.schema, "", "");
  for (const auto& key : kind.schema.keys)
    if (!key.default_value.empty()) values.set(key, ops::parse_key_value(key, key.default_value), "", false);
  return values;
}

std::vector<Planned> configured_checks(const ops::Config& config) {
  std::vector<Planned> plans;
  for (const std::string& name : config.named_sections("health")) {
    const Kind& kind = kind_of_section(config, name);
    ops::SectionValues values = ops::read_section(config, section_schema(kind), name);
    std::vector<std::string> targets = kind.max_args != 0 ? values.list("target") : std::vector<std::string>{};
    const int n = static_cast<int>(targets.size());
    if (n < kind.min_args)
      ops::fail_usage(fmt::format("{}: [health.{}] needs a target ({})", values.where(), ops::shown(name),
                                  kind.args_usage),
                      fmt::format("add: target = {}", kind.args_usage));
    if (kind.max_args >= 0 && n > kind.max_args)
      ops::fail_usage(fmt::format("{}: [health.{}] takes {} target{}, not {}", values.where("target"),
                                  ops::shown(name), kind.max_args, kind.max_args == 1 ? "" : "s", n));
    // [health.load] with check = load is "load", not "load load".
    std::string label = name == kind.name ? name : kind.name + " " + name;
    plans.push_back(plan(kind, std::move(label), std::move(targets), std::move(values), config));
  }
  return plans;
}

void check_health_sections(const ops::Config& config) { (void)configured_checks(config); }

}  // namespace opshealth
