#pragma once
// The kinds of check, one function each, in the file of its family;
// kinds.cpp puts them in the table.

#include "opshealth/check.hpp"

namespace opshealth {

Kind cpu_kind();     // host/cpu_check.cpp
Kind load_kind();    // host/load_check.cpp
Kind memory_kind();  // host/memory_check.cpp
Kind swap_kind();    // host/memory_check.cpp
Kind disk_kind();    // host/disk_check.cpp
Kind process_kind();  // host/process_check.cpp
Kind systemd_kind();  // host/systemd_check.cpp
Kind tcp_kind();      // host/tcp_check.cpp
Kind db_kind();       // db/db_check.cpp
Kind http_kind();     // web/http_check.cpp
Kind cert_kind();     // web/cert_check.cpp
Kind backup_kind();   // backup/backup_check.cpp
Kind log_kind();      // log/log_check.cpp
Kind updates_kind();  // host/updates_check.cpp

}  // namespace opshealth
