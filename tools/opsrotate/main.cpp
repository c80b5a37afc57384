// opsrotate: rotate, compress and expire logs as logrotate's configuration says.
#include "opsrotate/commands.hpp"
#include "suite/peers.hpp"

int main(int argc, char** argv) { return ops::cli::run(opsrotate::tool(), argc, argv, ops_suite::tools()); }
