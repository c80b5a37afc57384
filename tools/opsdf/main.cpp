// opsdf: filesystem, directory and database usage, and when the disk fills.
#include "opsdf/commands.hpp"
#include "suite/peers.hpp"

int main(int argc, char** argv) { return ops::cli::run(opsdf::tool(), argc, argv, ops_suite::tools()); }
