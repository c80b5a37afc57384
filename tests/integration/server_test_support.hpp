// What the C++ integration tests (*_test.cpp, run by run-with-servers) share:
// the servers' environment, and a scratch directory removed at exit.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>

namespace ops::test {

// The value of a variable scripts/test-servers sets; the test fails without it
// (a test that needs a server never skips into green).
inline std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value)
    FAIL(name << " is not set: run this binary through tests/integration/run-with-servers (ctest does), "
                 "or load the environment that scripts/test-servers start prints");
  return value;
}

// A directory for this process's files (under $OPS_TEST_SCRATCH when set),
// named PREFIX.XXXXXX and removed at exit.
inline const std::filesystem::path& scratch_dir(const char* prefix) {
  struct Dir {
    std::filesystem::path path;
    explicit Dir(const char* prefix) {
      const char* root = std::getenv("OPS_TEST_SCRATCH");
      std::filesystem::path base = root && *root ? std::filesystem::path(root) : std::filesystem::temp_directory_path();
      std::filesystem::create_directories(base);
      std::string tmpl = (base / (std::string(prefix) + ".XXXXXX")).string();
      if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed in " + base.string());
      path = tmpl;
    }
    ~Dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static Dir dir(prefix);
  return dir.path;
}

}  // namespace ops::test
