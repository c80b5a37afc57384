// opshealth: every health check of the host, its databases, its site, its
// backups and its logs, run concurrently, for cron, a person, Nagios and Prometheus.
#include "opshealth/commands.hpp"
#include "opshealth/runner.hpp"
#include "suite/peers.hpp"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  const int status = ops::cli::run(opshealth::tool(), argc, argv, ops_suite::tools());
  // A check abandoned at its deadline still runs on its thread: ending the
  // process here keeps exit-time destructors from pulling what it uses
  // (libcurl, the database client libraries) from under it.
  if (opshealth::checks_abandoned()) {
    std::fflush(nullptr);
    std::_Exit(status);
  }
  return status;
}
