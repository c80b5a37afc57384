// The ops::Error a call throws, for tests that assert on its status and
// message. Header-only, test-only.
#pragma once

#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>

namespace ops::test {

// The ops::Error that f throws; fails the test when f throws nothing.
template <typename F>
ops::Error error_from(F&& f) {
  try {
    f();
  } catch (const ops::Error& e) {
    return e;
  }
  FAIL("expected an ops::Error");
  throw std::logic_error("unreachable");
}

}  // namespace ops::test
