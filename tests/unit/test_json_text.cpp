// JSON files read and written with one-line messages: nlohmann's tag dropped
// from its errors, and text that is not UTF-8 written rather than thrown on.
#include <ops/json_text.hpp>

#include <catch2/catch.hpp>

TEST_CASE("json_error_text keeps the reason and drops nlohmann's tag") {
  try {
    const auto doc = nlohmann::json::parse("{\"ok\": tru}");
    FAIL("parsed: " << doc.dump());
  } catch (const nlohmann::json::exception& e) {
    const std::string text = ops::json_error_text(e);
    CHECK(text.rfind("parse error at line 1, column ", 0) == 0);
    CHECK(text.find("[json.exception") == std::string::npos);
  }
}

TEST_CASE("json_file_text writes bytes that are not UTF-8 as U+FFFD") {
  nlohmann::ordered_json j;
  j["path"] = std::string("caf\xe9.log");  // Latin-1, as an old file name may be
  CHECK(ops::json_file_text(j) == "{\n  \"path\": \"caf\xef\xbf\xbd.log\"\n}\n");
}
