#include "opsaudit/report.hpp"

#include <ops/json_text.hpp>
#include <ops/text.hpp>

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

namespace opsaudit {
namespace {

std::string upper(std::string_view text) {
  std::string s(text);
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Worst first; within a severity, in the order the audit found them.
std::vector<Finding> ordered(std::vector<Finding> findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
  return findings;
}

// An indented block: every line of a printed table, two blanks in.
void indented(std::ostream& out, const ops::Table& table) {
  std::ostringstream text;
  table.print(text, ops::Format::text);
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) out << "  " << line << '\n';
}

void print_text(std::ostream& out, const std::vector<Section>& sections) {
  std::size_t counts[3] = {0, 0, 0};
  bool first = true;
  for (const Section& section : sections) {
    if (!first) out << '\n';
    first = false;
    out << ops::printable_line(section.title) << '\n';
    const std::vector<Finding> findings = ordered(section.findings);
    if (findings.empty()) out << "  no findings\n";
    ops::Table table({{"severity"}, {"kind"}, {"subject"}, {"detail"}}, false);
    for (const Finding& f : findings) {
      ++counts[static_cast<int>(f.severity)];
      table.add_row({upper(severity_name(f.severity)), f.kind, ops::printable_line(f.subject, 200),
                     ops::printable_line(f.detail)});
    }
    if (table.size()) indented(out, table);
    bool fix_heading = false;
    for (const Finding& f : findings) {
      if (f.fix.empty()) continue;
      if (!fix_heading) out << "  to fix:\n";
      fix_heading = true;
      out << "    " << ops::printable_line(f.fix) << '\n';
    }
    for (const Detail& d : section.details) {
      if (!d.table.size()) continue;
      out << "  " << d.name << ":\n";
      std::ostringstream text;
      d.table.print(text, ops::Format::text);
      std::istringstream lines(text.str());
      for (std::string line; std::getline(lines, line);) out << "    " << line << '\n';
    }
    for (const std::string& note : section.notes) out << "  note: " << ops::printable_line(note) << '\n';
  }
  if (!sections.empty()) out << '\n';
  out << fmt::format("{} finding{}: {} critical, {} warning, {} info\n", counts[0] + counts[1] + counts[2],
                     counts[0] + counts[1] + counts[2] == 1 ? "" : "s", counts[2], counts[1], counts[0]);
}

void print_tsv(std::ostream& out, const std::vector<Section>& sections) {
  ops::Table table({{"audit"}, {"severity"}, {"kind"}, {"subject"}, {"detail"}, {"fix"}});
  for (const Section& section : sections)
    for (const Finding& f : ordered(section.findings))
      table.add_row({section.name, std::string(severity_name(f.severity)), f.kind, f.subject, f.detail, f.fix});
  table.print(out, ops::Format::tsv);
}

void print_json(std::ostream& out, const std::vector<Section>& sections) {
  auto doc = nlohmann::ordered_json::object();
  auto list = nlohmann::ordered_json::array();
  for (const Section& section : sections) {
    auto s = nlohmann::ordered_json::object();
    s["audit"] = section.name;
    s["title"] = section.title;
    auto findings = nlohmann::ordered_json::array();
    for (const Finding& f : ordered(section.findings)) {
      nlohmann::ordered_json j{{"severity", severity_name(f.severity)}, {"kind", f.kind}, {"subject", f.subject},
                               {"detail", f.detail}};
      j["fix"] = f.fix.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.fix);
      findings.push_back(std::move(j));
    }
    s["findings"] = std::move(findings);
    auto details = nlohmann::ordered_json::object();
    for (const Detail& d : section.details) details[d.name] = ops::table_json(d.table);
    s["details"] = std::move(details);
    s["notes"] = section.notes;
    list.push_back(std::move(s));
  }
  doc["audits"] = std::move(list);
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace

void print_report(std::ostream& out, ops::Format format, const std::vector<Section>& sections) {
  if (format == ops::Format::json) print_json(out, sections);
  else if (format == ops::Format::tsv) print_tsv(out, sections);
  else print_text(out, sections);
}

ops::Status audit_status(const std::vector<Section>& sections, Severity fail_on) {
  ops::Status status = ops::Status::ok;
  for (const Section& section : sections)
    for (const Finding& f : section.findings) {
      if (f.severity < fail_on) continue;
      status = ops::worst(status, f.severity == Severity::critical ? ops::Status::critical : ops::Status::warning);
    }
  return status;
}

}  // namespace opsaudit
