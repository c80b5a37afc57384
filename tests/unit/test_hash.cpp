// ops/hash.hpp: SHA-256 as backup manifests record it, checked against the
// standard's test vectors and against sha256sum.
#include <ops/error.hpp>
#include <ops/hash.hpp>

#include <catch2/catch.hpp>

#include "compress_support.hpp"
#include "support.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/stat.h>

using ops::test::TempDir;

namespace {

std::string sha256(std::string_view data) {
  ops::Sha256 sha;
  sha.update(data);
  return sha.hex_digest();
}

// The first word of `sha256sum FILE`.
std::string sha256sum(const std::string& path) {
  std::unique_ptr<FILE, decltype(&::pclose)> p(::popen(("sha256sum '" + path + "'").c_str(), "r"), &::pclose);
  REQUIRE(p);
  char buf[128] = {};
  REQUIRE(std::fgets(buf, sizeof buf, p.get()));
  std::string line = buf;
  return line.substr(0, line.find(' '));
}

}  // namespace

TEST_CASE("hash: SHA-256 of the standard test vectors") {
  CHECK(sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("hash: updates in pieces give the digest of the whole") {
  std::string data = ops::test::dump_like(3 * 1024 * 1024 + 7);
  ops::Sha256 sha;
  for (std::size_t at = 0, n = 1; at < data.size(); at += n, n = n * 3 + 1)
    sha.update(std::string_view(data).substr(at, n));
  std::string digest = sha.hex_digest();
  CHECK(digest == sha256(data));
  CHECK(sha.hex_digest() == digest);  // asking again gives the same answer
  CHECK_THROWS_AS(sha.update("more"), std::logic_error);
}

TEST_CASE("hash: sha256_file agrees with sha256sum") {
  TempDir dir;
  auto big = dir.write("dump.sql", ops::test::dump_like(5 * 1024 * 1024 + 3));  // several 1 MiB reads and a short one
  CHECK(ops::sha256_file(big.string()) == sha256sum(big.string()));
  auto empty = dir.write("empty", "");
  CHECK(ops::sha256_file(empty.string()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("hash: sha256_file of a missing file is an error naming it") {
  TempDir dir;
  std::string path = dir.str() + "/missing.sql.gz";
  ops::Error e = ops::test::error_from([&] { ops::sha256_file(path); });
  CHECK(e.status() == ops::Status::critical);
  CHECK(e.what() == "cannot open " + path + ": No such file or directory");
}

TEST_CASE("hash: sha256_file of a FIFO is refused at once, not waited on") {
  TempDir dir;
  std::string path = dir.str() + "/app-20261125T021500Z.sql.gz";
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  ops::Error e = ops::test::error_from([&] { ops::sha256_file(path); });
  CHECK(std::string(e.what()) == path + " is not a regular file");
}
