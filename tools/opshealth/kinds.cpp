// The table of every kind of check, in the order of --help.
#include "opshealth/kind_list.hpp"

namespace opshealth {

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> table{cpu_kind(), load_kind(), memory_kind(), swap_kind(), disk_kind(), db_kind()};
  return table;
}

}  // namespace opshealth
