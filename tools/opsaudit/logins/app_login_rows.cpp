#include "opsaudit/logins/app_logins.hpp"

#include <ops/error.hpp>

namespace opsaudit {

// Placeholder until the application source is written (issue 16, in progress).
std::size_t read_app_logins(const ops::Config&, const AppLoginSource& source, ops::SysTime,
                            const std::function<void(const AuthEvent&)>&) {
  ops::fail(source.name + ": application login sources are not written yet");
}

}  // namespace opsaudit
