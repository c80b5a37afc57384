// man/opsaudit.1 against the table of audits: every audit has its .SS
// section, and every option of an audit is named in it (fail_on, which every
// audit takes, under COMMON AUDIT OPTIONS), so the page cannot drift.
#include "opsaudit/audit.hpp"
#include "opsaudit/commands.hpp"

#include <catch2/catch.hpp>

#include "man_support.hpp"
#include "support.hpp"

#include <filesystem>

namespace {

std::string page() { return ops::test::slurp(std::filesystem::path(OPS_SOURCE_DIR) / "man/opsaudit.1"); }

std::string common_block(const std::string& text) {
  const std::size_t at = text.find("\n.SH COMMON AUDIT OPTIONS\n");
  if (at == std::string::npos) return {};
  return text.substr(at, text.find("\n.SH ", at + 1) - at);
}

}  // namespace

TEST_CASE("audit doc: every audit and each of its options is in opsaudit(1)") {
  const std::string text = page();
  const std::string common = common_block(text);
  REQUIRE(common.find(ops::test::roff_option("fail-on")) != std::string::npos);
  for (const opsaudit::Audit& audit : opsaudit::audits()) {
    INFO("audit " << audit.name);
    const std::string section = ops::test::man_subsection(text, audit.name);
    REQUIRE_FALSE(section.empty());
    for (const auto& key : audit.schema.keys) {
      if (key.option.empty() || key.name == "fail_on") continue;
      const std::string option = key.option.substr(0, key.option.find(','));
      INFO("option --" << option);
      CHECK(section.find(ops::test::roff_option(option)) != std::string::npos);
    }
  }
}

TEST_CASE("audit doc: the options of run are in its section") {
  const std::string text = page();
  const std::string section = ops::test::man_subsection(text, "run");
  REQUIRE_FALSE(section.empty());
  for (const char* option : {"auth-log", "perms", "changes", "databases", "logs"}) {
    INFO("option --" << option);
    CHECK(section.find(ops::test::roff_option(option)) != std::string::npos);
  }
}
