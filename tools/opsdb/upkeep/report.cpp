// NOT BUILT YET (the frame's placeholder).
#include "opsdb/upkeep/report.hpp"

namespace opsdb {

void print_report(std::ostream& out, ops::Format, const UpkeepReport& report, bool) {
  if (!report.unsupported.empty()) out << report.unsupported << "\n";
}

void add_metrics(ops::Metrics&, const UpkeepReport&) {}

}  // namespace opsdb
