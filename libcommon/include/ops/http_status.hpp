#pragma once
// A set of HTTP status codes as an operator writes it: "200", "200,301",
// "2xx" (a class), "2xx,304", "200-204". For a check's expected statuses and
// for a log's responses to count (5xx).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ops {

class HttpStatusSet {
 public:
  // Comma-separated codes (100-599), classes (1xx-5xx) and spans (200-299),
  // spaces allowed around the commas. Anything else is a usage error (exit 3)
  // naming the text.
  static HttpStatusSet parse(std::string_view text);

  bool contains(long status) const noexcept;
  const std::string& text() const noexcept { return text_; }

 private:
  std::vector<std::pair<long, long>> spans_;  // inclusive
  std::string text_;
};

}  // namespace ops
