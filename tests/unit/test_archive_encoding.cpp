// Rows as CSV and JSON lines: what a reader (psql \copy, jq) gets back.
#include "opsarchive/rows/row_encoding.hpp"

#include <catch2/catch.hpp>

using namespace opsarchive;

TEST_CASE("CSV tells NULL from the empty string and quotes what needs it") {
  std::string out = csv_header({"id", "note"});
  append_csv_row(out, {std::string("1"), std::nullopt});
  append_csv_row(out, {std::string("2"), std::string("")});
  append_csv_row(out, {std::string("3"), std::string("a, \"b\"\nc")});
  append_csv_row(out, {std::string("4"), std::string(" padded ")});
  CHECK(out == "id,note\n1,\n2,\"\"\n3,\"a, \"\"b\"\"\nc\"\n4,\" padded \"\n");
}

TEST_CASE("JSON lines hold text as strings, NULL as null, bytes as base64") {
  std::string out;
  append_jsonl_row(out, {"id", "note", "blob"}, {std::string("1"), std::nullopt, std::string("\xff\x00\x01", 3)});
  append_jsonl_row(out, {"id", "note", "blob"}, {std::string("2"), std::string("tab\there \"q\" \x01 é"), std::string("ok")});
  CHECK(out == "{\"id\":\"1\",\"note\":null,\"blob\":{\"base64\":\"/wAB\"}}\n"
               "{\"id\":\"2\",\"note\":\"tab\\there \\\"q\\\" \\u0001 é\",\"blob\":\"ok\"}\n");
}

TEST_CASE("file formats by name") {
  CHECK(parse_file_format("csv") == FileFormat::csv);
  CHECK(parse_file_format("jsonl") == FileFormat::jsonl);
  CHECK_THROWS(parse_file_format("xml"));
}
