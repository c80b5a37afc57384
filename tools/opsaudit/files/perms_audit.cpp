#include "opsaudit/audit_list.hpp"

#include <ops/error.hpp>

namespace opsaudit {

// Placeholder until the audit is written (issue 16, in progress).
Audit perms_audit() {
  return Audit{"perms", "PATH...", "(not written yet)", ops::SectionSchema{"audit", "[audit]", with_common_keys({})}, 0, -1,
               [](const Request&) -> Section { ops::fail("perms: not written yet"); }};
}

}  // namespace opsaudit
