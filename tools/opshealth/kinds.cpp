// The table of every kind of check, in the order of --help.
#include "opshealth/kind_list.hpp"

namespace opshealth {

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> table{cpu_kind(),     load_kind(),    memory_kind(), swap_kind(),
                                       disk_kind(),    process_kind(), systemd_kind(), tcp_kind(),
                                       db_kind(),
                                       http_kind(),    cert_kind(),    backup_kind(),  log_kind(),
                                       updates_kind()};
  return table;
}

}  // namespace opshealth
