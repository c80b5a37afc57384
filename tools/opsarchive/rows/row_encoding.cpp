#include "opsarchive/rows/row_encoding.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

namespace opsarchive {

namespace {

void append_csv_field(std::string& out, std::string_view value, bool is_null) {
  if (is_null) return;
  const bool quote = value.empty() || value.find_first_of(",\"\r\n") != std::string_view::npos ||
                     value.front() == ' ' || value.back() == ' ';
  if (!quote) {
    out.append(value);
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  if (n == 2 && b < 0xc2) return 0;  // overlong
  return n;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += ch;
    }
  }
  out += '"';
}

std::string base64(std::string_view data) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < data.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    if (i + 2 < data.size()) v |= static_cast<unsigned char>(data[i + 2]);
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += i + 1 < data.size() ? kDigits[(v >> 6) & 63] : '=';
    out += i + 2 < data.size() ? kDigits[v & 63] : '=';
  }
  return out;
}

}  // namespace

FileFormat parse_file_format(std::string_view text) {
  if (text == "csv") return FileFormat::csv;
  if (text == "jsonl" || text == "json") return FileFormat::jsonl;
  ops::fail_usage(fmt::format("invalid file format '{}' (expected csv or jsonl)", text));
}

std::string csv_header(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, names[i], false);
  }
  return out + '\n';
}

void append_csv_row(std::string& out, const RowValues& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, row[i] ? std::string_view(*row[i]) : std::string_view{}, !row[i]);
  }
  out += '\n';
}

void append_jsonl_row(std::string& out, const std::vector<std::string>& names, const RowValues& row) {
  out += '{';
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, names[i]);
    out += ':';
    if (!row[i]) out += "null";
    else if (valid_utf8(*row[i])) append_json_string(out, *row[i]);
    else out += "{\"base64\":\"" + base64(*row[i]) + "\"}";
  }
  out += "}\n";
}

}  // namespace opsarchive
