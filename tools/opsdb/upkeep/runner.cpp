// NOT BUILT YET (the frame's placeholder).
#include "opsdb/upkeep/runner.hpp"

namespace opsdb {

UpkeepReport run_upkeep(const UpkeepRequest& request, ops::Warnings&) {
  UpkeepReport report;
  report.database = request.target.name;
  report.unsupported = std::string(*request.verb->unsupported(request.target.dsn.engine));
  return report;
}

}  // namespace opsdb
