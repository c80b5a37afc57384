// opsarchive: move or purge old rows in batches without losing one; compress
// and expire old files.
#include "opsarchive/commands.hpp"
#include "suite/peers.hpp"

int main(int argc, char** argv) { return ops::cli::run(opsarchive::tool(), argc, argv, ops_suite::tools()); }
