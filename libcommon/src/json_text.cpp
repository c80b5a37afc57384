#include <ops/json_text.hpp>

#include <string_view>

namespace ops {

std::string json_error_text(const nlohmann::json::exception& e) {
  std::string_view text = e.what();
  if (text.starts_with("[json.exception."))
    if (auto end = text.find("] "); end != std::string_view::npos) text.remove_prefix(end + 2);
  return std::string(text);
}

std::string json_file_text(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace ops
