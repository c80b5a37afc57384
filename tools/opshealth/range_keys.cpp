#include "opshealth/range_keys.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

namespace opshealth {

ops::SectionKey range_key(std::string name, std::initializer_list<ops::RangeUnit> units, std::string help,
                          std::string fallback) {
  std::vector<ops::RangeUnit> kept(units);
  ops::SectionKey key(name, ops::KeyType::text, std::move(help));
  std::replace(name.begin(), name.end(), '_', '-');
  key.with_option(name, "RANGE").with_check([kept](std::string_view text, const ops::Config&) {
    // parse_range takes an initializer_list; the kinds declare at most three units.
    switch (kept.size()) {
      case 0: ops::parse_range(text); break;
      case 1: ops::parse_range(text, {kept[0]}); break;
      case 2: ops::parse_range(text, {kept[0], kept[1]}); break;
      default: ops::parse_range(text, {kept[0], kept[1], kept[2]}); break;
    }
  });
  if (!fallback.empty()) key.with_default(std::move(fallback));
  return key;
}

std::optional<ops::Range> range_of(const ops::SectionValues& settings, std::string_view key,
                                   std::initializer_list<ops::RangeUnit> units) {
  auto text = settings.text(key);
  if (!text || text->empty()) return std::nullopt;
  try {
    return ops::parse_range(*text, units);
  } catch (const ops::Error& e) {
    // Checked when read; a default written wrong is ours, and names its key.
    ops::fail_usage(fmt::format("{}: {}", settings.where(key), e.what()), e.hint());
  }
}

std::optional<ops::Range> range_in(const std::optional<ops::Range>& range, ops::RangeUnit unit) {
  return range && range->unit == unit ? range : std::nullopt;
}

std::vector<ops::SectionKey> with_common_keys(std::vector<ops::SectionKey> keys) {
  keys.push_back(ops::SectionKey("timeout", ops::KeyType::duration,
                                 "give up on the check after this long and report it (default 10s)")
                     .with_option("timeout", "DURATION")
                     .with_default("10s")
                     .inherited());
  keys.push_back(ops::SectionKey("on_timeout", ops::KeyType::text,
                                 "the status of a check that did not answer in time: critical or unknown")
                     .with_option("on-timeout", "STATUS")
                     .with_default("critical")
                     .with_check(ops::word_check({"critical", "unknown"}))
                     .inherited());
  return keys;
}

}  // namespace opshealth
