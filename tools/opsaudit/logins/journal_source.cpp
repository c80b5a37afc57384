#include "opsaudit/logins/journal_source.hpp"

#include <ops/error.hpp>

namespace opsaudit {

// Placeholder until the journal source is written (issue 16, in progress).
bool system_journal_present() { return false; }

void read_journal(const std::optional<std::filesystem::path>&, ops::SysTime,
                  const std::function<void(const AuthLine&)>&) {
  ops::fail("the journal source is not written yet");
}

}  // namespace opsaudit
