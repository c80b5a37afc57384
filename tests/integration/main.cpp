// The main of ops_integration_tests: every tests/integration/*_test.cpp adds its
// TEST_CASEs. They run through tests/integration/run-with-servers, so the test
// servers' environment (OPS_TEST_PG_DSN, OPS_TEST_PG_PASSWORD_FILE,
// OPS_TEST_MYSQL_DSN, OPS_TEST_MYSQL_PASSWORD_FILE, ...) is always set.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
