// opsbackup: database and file backups that cannot fail silently.
#include "opsbackup/commands.hpp"

int main(int argc, char** argv) { return ops::cli::run(opsbackup::tool(), argc, argv); }
