// man/opsdb.1 against opsdb's subcommand table: every subcommand has its .SS
// block (the five upkeep verbs share one), and every option a subcommand
// takes is named in that block, so the page cannot drift from the code.
#include "opsdb/commands.hpp"

#include <catch2/catch.hpp>

#include "man_support.hpp"
#include "support.hpp"

#include <filesystem>

namespace {

const std::string kVerbs = "analyze, vacuum, optimize, check, reindex";

bool is_verb(const std::string& name) {
  return name == "analyze" || name == "vacuum" || name == "optimize" || name == "check" || name == "reindex";
}

}  // namespace

TEST_CASE("opsdb doc: every subcommand and each of its options is in opsdb(1)") {
  const std::string text = ops::test::slurp(std::filesystem::path(OPS_SOURCE_DIR) / "man/opsdb.1");
  for (const ops::cli::Subcommand& sub : opsdb::tool().subcommands) {
    INFO("subcommand " << sub.name);
    const std::string section = ops::test::man_subsection(text, is_verb(sub.name) ? kVerbs : sub.name);
    REQUIRE_FALSE(section.empty());
    if (!sub.add_options) continue;
    boost::program_options::options_description own;
    sub.add_options(own);
    for (const auto& option : own.options()) {
      INFO("option --" << option->long_name());
      CHECK(section.find(ops::test::roff_option(option->long_name())) != std::string::npos);
    }
  }
}
