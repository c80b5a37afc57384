#include "suite/peers.hpp"

#include "opsarchive/commands.hpp"
#include "opsaudit/commands.hpp"
#include "opsbackup/commands.hpp"
#include "opsdb/commands.hpp"
#include "opsdf/commands.hpp"
#include "opshealth/commands.hpp"
#include "opsrotate/commands.hpp"

namespace ops_suite {

std::vector<ops::cli::Tool> tools() { return {opsdf::tool(), opsbackup::tool(), opsrotate::tool(), opsarchive::tool(), opshealth::tool(), opsaudit::tool(), opsdb::tool()}; }

}  // namespace ops_suite
