#pragma once
// The audits, one function each, in the file of its folder; audits.cpp puts
// them in the table.

#include "opsaudit/audit.hpp"

namespace opsaudit {

Audit logins_audit();   // logins/logins_audit.cpp
Audit perms_audit();    // files/perms_audit.cpp
Audit changes_audit();  // files/changes_audit.cpp
Audit db_audit();       // db/db_audit.cpp
Audit logs_audit();     // logs/logs_audit.cpp

}  // namespace opsaudit
