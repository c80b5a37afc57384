// man/opshealth.1 against the table of kinds: every check has its .SS
// section, and every option of a check is named in it (or in "Options of
// every check"), so the page cannot drift from the code.
#include "opshealth/check.hpp"

#include <catch2/catch.hpp>

#include "man_support.hpp"
#include "support.hpp"

#include <filesystem>

namespace {

std::string page() { return ops::test::slurp(std::filesystem::path(OPS_SOURCE_DIR) / "man/opshealth.1"); }

}  // namespace

TEST_CASE("health doc: every check and each of its options is in opshealth(1)") {
  const std::string text = page();
  const std::string every = ops::test::man_subsection(text, "Options of every check");
  REQUIRE_FALSE(every.empty());
  for (const opshealth::Kind& kind : opshealth::kinds()) {
    INFO("check " << kind.name);
    const std::string section = ops::test::man_subsection(text, kind.name);
    REQUIRE_FALSE(section.empty());
    for (const auto& key : kind.schema.keys) {
      if (key.option.empty()) continue;
      const std::string option = key.option.substr(0, key.option.find(','));
      INFO("option --" << option);
      CHECK((section.find(ops::test::roff_option(option)) != std::string::npos ||
             every.find(ops::test::roff_option(option)) != std::string::npos));
    }
  }
}
