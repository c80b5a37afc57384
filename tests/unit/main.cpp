// The main of ops_unit_tests: every other tests/unit/*.cpp adds its TEST_CASEs.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
