// The archive file of `opsarchive rows --to-file`: what a killed run leaves
// behind, and what the next run makes of it. The integration fault test kills
// the tool at random moments; these cases put the file in each such state on
// purpose, so the rare ones (a kill inside the header's write) are always tried.
#include "opsarchive/rows/row_file.hpp"

#include "compress_support.hpp"

#include <catch2/catch.hpp>

using namespace opsarchive;
using ops::test::decompress_file;
using ops::test::slurp;
using ops::test::spit;
using ops::test::TempDir;

namespace {

const std::vector<std::string> columns = {"id", "note"};

void append_two_rows(RowFile& file, int first) {
  file.append({{std::to_string(first), std::string("a")}, {std::to_string(first + 1), std::nullopt}},
              {{std::to_string(first)}, {std::to_string(first + 1)}});
  file.committed();
}

}  // namespace

TEST_CASE("a new CSV archive starts with its header and holds each batch once") {
  TempDir dir;
  const auto path = dir.path() / "audit.csv.gz";
  {
    RowFile file(path, FileFormat::csv, columns);
    append_two_rows(file, 1);
  }
  {
    RowFile file(path, FileFormat::csv, columns);
    CHECK_FALSE(file.pending());
    append_two_rows(file, 3);
  }
  CHECK(decompress_file(path) == "id,note\n1,a\n2,\n3,a\n4,\n");
  CHECK_FALSE(std::filesystem::exists(path.string() + ".pending"));
}

TEST_CASE("a run that appended nothing leaves no archive file behind") {
  TempDir dir;
  const auto path = dir.path() / "audit.csv.gz";
  { RowFile file(path, FileFormat::csv, columns); }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(path.string() + ".pending"));
}

TEST_CASE("a run killed while writing a new file's header is started over by the next") {
  TempDir dir;
  const auto path = dir.path() / "audit.csv.gz";
  const std::string header = ops::test::compress("id,note\n", ops::Compression::gzip);
  // What the header's journal and half its member look like after the kill.
  spit(path, header.substr(0, header.size() / 2));
  spit(path.string() + ".pending", R"({"offset":0,"keys":[]})");
  {
    RowFile file(path, FileFormat::csv, columns);
    CHECK_FALSE(file.pending());
    append_two_rows(file, 1);
  }
  CHECK(decompress_file(path) == "id,note\n1,a\n2,\n");
}

TEST_CASE("a batch whose delete never committed is cut from the file") {
  TempDir dir;
  const auto path = dir.path() / "audit.jsonl.gz";
  {
    RowFile file(path, FileFormat::jsonl, columns);
    append_two_rows(file, 1);
  }
  const auto length = std::filesystem::file_size(path);
  {
    // Killed after the member was fsynced, before the source committed.
    RowFile file(path, FileFormat::jsonl, columns);
    file.append({{std::string("3"), std::string("b")}}, {{"3"}});
  }
  RowFile file(path, FileFormat::jsonl, columns);
  REQUIRE(file.pending());
  CHECK(file.pending()->offset == length);
  CHECK(file.pending()->keys == std::vector<KeyValues>{{"3"}});
  file.discard_pending();
  CHECK(std::filesystem::file_size(path) == length);
  CHECK_FALSE(std::filesystem::exists(path.string() + ".pending"));
  CHECK(decompress_file(path) == "{\"id\":\"1\",\"note\":\"a\"}\n{\"id\":\"2\",\"note\":null}\n");
}

TEST_CASE("an archive file another run is writing is refused") {
  TempDir dir;
  const auto path = dir.path() / "audit.csv";
  RowFile first(path, FileFormat::csv, columns);
  CHECK_THROWS_WITH(RowFile(path, FileFormat::csv, columns),
                    Catch::Contains("another opsarchive run is writing this file"));
}

TEST_CASE("a CSV archive written from other columns is refused, unchanged") {
  TempDir dir;
  const auto path = dir.path() / "audit.csv";
  spit(path, "id,body\n1,x\n");
  CHECK_THROWS_WITH(RowFile(path, FileFormat::csv, columns), Catch::Contains("are not the table's"));
  CHECK(slurp(path) == "id,body\n1,x\n");
}
