#include <ops/error.hpp>
#include <ops/json_text.hpp>
#include <ops/text.hpp>
#include <ops/output.hpp>
#include <ops/units.hpp>

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ops {

namespace {

// Display width of UTF-8 text: count code points, not bytes, so that names
// with accents and sparklines still line up.
std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++width;
  return width;
}

std::string raw_cell(const Cell& cell) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(std::int64_t v) const { return fmt::format("{}", v); }
    std::string operator()(double v) const { return fmt::format("{:.1f}", v); }
  };
  return std::visit(Visitor{}, cell);
}

}  // namespace

Format parse_format(std::string_view text, bool monitoring) {
  if (text == "text") return Format::text;
  if (text == "tsv") return Format::tsv;
  if (text == "json") return Format::json;
  if (monitoring && text == "nagios") return Format::nagios;
  if (monitoring && text == "prometheus") return Format::prometheus;
  fail_usage(fmt::format("invalid format '{}': expected {}", shown(text),
                         monitoring ? "text, tsv, json, nagios or prometheus" : "text, tsv or json"));
}

void Table::add_row(std::vector<Cell> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::text_cell(std::size_t column, const Cell& cell) const {
  if (std::holds_alternative<std::monostate>(cell)) return "-";
  switch (columns_[column].kind) {
    case ColumnKind::bytes:
      if (auto* v = std::get_if<std::int64_t>(&cell)) return *v < 0 ? "-" + format_size(static_cast<std::uint64_t>(-*v)) : format_size(static_cast<std::uint64_t>(*v));
      break;
    case ColumnKind::percent:
      if (auto* v = std::get_if<double>(&cell)) return fmt::format("{:.0f}%", *v);
      if (auto* v = std::get_if<std::int64_t>(&cell)) return fmt::format("{}%", *v);
      break;
    default:
      break;
  }
  return raw_cell(cell);
}

nlohmann::ordered_json table_json(const Table& table) {
  const auto& columns = table.columns();
  auto doc = nlohmann::ordered_json::array();
  for (const auto& row : table.rows()) {
    nlohmann::ordered_json obj = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const Cell& c = row[i];
      if (std::holds_alternative<std::monostate>(c)) obj[columns[i].name] = nullptr;
      else if (auto* s = std::get_if<std::string>(&c)) obj[columns[i].name] = *s;
      else if (auto* v = std::get_if<std::int64_t>(&c)) obj[columns[i].name] = *v;
      else obj[columns[i].name] = std::get<double>(c);
    }
    doc.push_back(std::move(obj));
  }
  return doc;
}

void Table::print(std::ostream& out, Format format) const {
  if (format == Format::nagios || format == Format::prometheus)
    throw std::logic_error("Table::print: a monitoring format is printed by its tool");
  if (format == Format::json) {
    // Invalid UTF-8 in file names must not abort the report.
    out << table_json(*this).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    return;
  }
  if (format == Format::tsv) {
    for (std::size_t i = 0; i < columns_.size(); ++i) out << (i ? "\t" : "") << columns_[i].name;
    out << '\n';
    for (const auto& row : rows_) {
      for (std::size_t i = 0; i < columns_.size(); ++i) out << (i ? "\t" : "") << tsv_escape(raw_cell(row[i]));
      out << '\n';
    }
    return;
  }
  // Text: columns padded to their widest cell; numbers right-aligned; the last
  // column is never padded so lines carry no trailing blanks.
  std::vector<std::vector<std::string>> cells;
  if (text_header_) {
    std::vector<std::string> header;
    for (const auto& c : columns_) {
      std::string title = c.title;
      if (title.empty()) {
        title = c.name;
        for (auto& ch : title) ch = ch == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
      header.push_back(title);
    }
    cells.push_back(std::move(header));
  }
  for (const auto& row : rows_) {
    std::vector<std::string> line;
    for (std::size_t i = 0; i < columns_.size(); ++i) line.push_back(text_cell(i, row[i]));
    cells.push_back(std::move(line));
  }
  std::vector<std::size_t> width(columns_.size(), 0);
  for (const auto& line : cells)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], display_width(line[i]));
  for (const auto& line : cells) {
    std::string text;
    std::size_t last = line.size();
    while (last > 0 && line[last - 1].empty()) --last;  // no trailing blanks for empty tails
    for (std::size_t i = 0; i < last; ++i) {
      bool right = columns_[i].kind != ColumnKind::text;
      std::size_t pad = width[i] - display_width(line[i]);
      if (i) text += "  ";
      if (right) text.append(pad, ' ');
      text += line[i];
      if (!right && i + 1 < last) text.append(pad, ' ');
    }
    out << text << '\n';
  }
}

std::string tsv_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\\') out += "\\\\";
    else out += c;
  }
  return out;
}

std::string nagios_line(std::string_view service, Status status, std::string_view summary,
                        std::string_view perfdata) {
  std::string line = fmt::format("{} {} - {}", service, status_name(status), summary);
  if (!perfdata.empty()) line += fmt::format(" | {}", perfdata);
  return line;
}

}  // namespace ops
