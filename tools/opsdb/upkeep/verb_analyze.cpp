// opsdb analyze: NOT BUILT YET (the frame's placeholder).
#include "opsdb/upkeep/verb.hpp"

#include <ops/error.hpp>

namespace opsdb {

namespace {

class Placeholder final : public Verb {
 public:
  std::string_view name() const override { return "analyze"; }
  std::optional<std::string> unsupported(ops::db::Engine) const override { return "not built yet"; }
  std::vector<std::string> statements(ops::db::Engine, const ops::db::Table&, const VerbOptions&) const override {
    return {};
  }
  TableOutcome run(ops::db::Connection&, const ops::db::Table&, const VerbOptions&) const override {
    throw ops::Error(ops::Status::unknown, "opsdb analyze is not built yet");
  }
};

}  // namespace

const Verb& analyze_verb() {
  static const Placeholder verb;
  return verb;
}

}  // namespace opsdb
