// opsbackup: database and file backups that cannot fail silently.
#include "opsbackup/commands.hpp"
#include "suite/peers.hpp"

int main(int argc, char** argv) { return ops::cli::run(opsbackup::tool(), argc, argv, ops_suite::tools()); }
