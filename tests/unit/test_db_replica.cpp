// WAL positions as the replica lag compares them: "hi/lo" in hex, 64 bits,
// ordered as numbers (16/0 is after F/FFFFFFFF), and anything else refused.

#include <ops/db_replica.hpp>
#include <ops/error.hpp>

#include <catch2/catch.hpp>

TEST_CASE("parse_lsn reads PostgreSQL WAL positions as 64-bit numbers") {
  CHECK(ops::db::parse_lsn("0/0") == 0);
  CHECK(ops::db::parse_lsn("16/B374D848") == ((std::uint64_t{0x16} << 32) | 0xB374D848));
  CHECK(ops::db::parse_lsn("F/FFFFFFFF") < ops::db::parse_lsn("10/0"));
  CHECK(ops::db::parse_lsn("0/3000148") > ops::db::parse_lsn("0/3000060"));
}

TEST_CASE("parse_lsn refuses what is not a WAL position") {
  for (const char* bad : {"", "/", "16", "16/", "/B374D848", "16/B374D848x", "G/0", "1/2/3", "100000000/0"}) {
    INFO(bad);
    try {
      ops::db::parse_lsn(bad);
      FAIL("accepted");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
    }
  }
}
