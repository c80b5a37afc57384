#include "opsaudit/audit.hpp"

#include "opsaudit/audit_list.hpp"

#include <ops/text.hpp>
#include <ops/value_check.hpp>

namespace opsaudit {

std::string_view severity_name(Severity severity) noexcept {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::critical: return "critical";
  }
  return "critical";
}

std::optional<Severity> parse_severity(std::string_view text) noexcept {
  for (Severity s : {Severity::info, Severity::warning, Severity::critical})
    if (ops::ascii_lower(text) == severity_name(s)) return s;
  return std::nullopt;
}

std::vector<ops::SectionKey> with_common_keys(std::vector<ops::SectionKey> keys) {
  keys.push_back(ops::SectionKey("fail_on", ops::KeyType::text,
                                 "the least severity that makes the exit status non-zero: info, warning or critical")
                     .with_option("fail-on", "SEVERITY")
                     .with_default("warning")
                     .with_check(ops::word_check({"info", "warning", "critical"})));
  return keys;
}

ops::SectionKey since_key() {
  return ops::SectionKey("since", ops::KeyType::duration, "how far back to look: 7d, 24h, 30d")
      .with_option("since", "DURATION")
      .with_default("7d")
      .with_check(ops::duration_check(1));
}

const std::vector<Audit>& audits() {
  static const std::vector<Audit> table{logins_audit(), perms_audit(), changes_audit(), db_audit(), logs_audit()};
  return table;
}

const Audit* find_audit(std::string_view name) {
  for (const Audit& a : audits())
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace opsaudit
