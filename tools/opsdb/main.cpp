// opsdb: database upkeep — analyze, vacuum, optimize, check, reindex — and
// the status a person asks for first: activity, slow statements, bloat.
#include "opsdb/commands.hpp"
#include "suite/peers.hpp"

int main(int argc, char** argv) { return ops::cli::run(opsdb::tool(), argc, argv, ops_suite::tools()); }
