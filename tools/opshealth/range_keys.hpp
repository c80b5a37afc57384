#pragma once
// Threshold keys in the Monitoring Plugins range syntax ("80%", "10:",
// "@1:5", "500ms"), declared once per kind with the units it measures in,
// and the keys every kind shares (its deadline).

#include <ops/nagios_range.hpp>
#include <ops/sections.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace opshealth {

// A text key (and option of the same name) whose value must parse as a range
// in one of `units`; `fallback` is the guides' default ("" for none).
ops::SectionKey range_key(std::string name, std::initializer_list<ops::RangeUnit> units, std::string help,
                          std::string fallback = {});

// The range of a key declared by range_key; nullopt when neither given nor defaulted.
std::optional<ops::Range> range_of(const ops::SectionValues& settings, std::string_view key,
                                   std::initializer_list<ops::RangeUnit> units);

// The range when it is in `unit`, else none: a check whose thresholds may be
// a percentage or a size gives each figure only the ones that judge it.
std::optional<ops::Range> range_in(const std::optional<ops::Range>& range, ops::RangeUnit unit);

// `keys` followed by what every kind takes: timeout and on_timeout.
std::vector<ops::SectionKey> with_common_keys(std::vector<ops::SectionKey> keys);

}  // namespace opshealth
