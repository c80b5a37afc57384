#include "opsaudit/audit_list.hpp"

#include <ops/error.hpp>

namespace opsaudit {

// Placeholder until the audit is written (issue 16, in progress).
Audit logins_audit() {
  return Audit{"logins", "FILE...", "(not written yet)", ops::SectionSchema{"audit", "[audit]", with_common_keys({})}, 0, -1,
               [](const Request&) -> Section { ops::fail("logins: not written yet"); }};
}

}  // namespace opsaudit
