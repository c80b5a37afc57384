// opsaudit: who failed to log in, what looks suspicious, what is insecure,
// what changed, which errors the logs hold: the weekly security review.
#include "opsaudit/commands.hpp"
#include "suite/peers.hpp"

int main(int argc, char** argv) { return ops::cli::run(opsaudit::tool(), argc, argv, ops_suite::tools()); }
