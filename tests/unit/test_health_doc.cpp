// man/opshealth.1 against the table of kinds: every check has its .SS
// section, and every option of a check is named in it (or in "Options of
// every check"), so the page cannot drift from the code.
#include "opshealth/check.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

#include <filesystem>

namespace {

std::string page() { return ops::test::slurp(std::filesystem::path(OPS_SOURCE_DIR) / "man/opshealth.1"); }

// The text after `.SS <name>` (the name alone or followed by its arguments) up to the next .SS or .SH.
std::string man_section(const std::string& text, const std::string& name) {
  std::size_t at = 0;
  while ((at = text.find("\n.SS " + name, at)) != std::string::npos) {
    const char next = text[at + 5 + name.size()];
    if (next == '\n' || next == ' ') break;
    ++at;
  }
  if (at == std::string::npos) return {};
  const std::size_t begin = at + 1;
  std::size_t end = text.size();
  for (const char* next : {"\n.SS ", "\n.SH "}) end = std::min(end, text.find(next, begin));
  return text.substr(begin, end - begin);
}

// "--warn-time" as roff writes it: \-\-warn\-time.
std::string roff_option(const std::string& long_name) {
  std::string out = "\\-\\-";
  for (char c : long_name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

}  // namespace

TEST_CASE("health doc: every check and each of its options is in opshealth(1)") {
  const std::string text = page();
  const std::string every = man_section(text, "Options of every check");
  REQUIRE_FALSE(every.empty());
  for (const opshealth::Kind& kind : opshealth::kinds()) {
    INFO("check " << kind.name);
    const std::string section = man_section(text, kind.name);
    REQUIRE_FALSE(section.empty());
    for (const auto& key : kind.schema.keys) {
      if (key.option.empty()) continue;
      const std::string option = key.option.substr(0, key.option.find(','));
      INFO("option --" << option);
      CHECK((section.find(roff_option(option)) != std::string::npos ||
             every.find(roff_option(option)) != std::string::npos));
    }
  }
}
