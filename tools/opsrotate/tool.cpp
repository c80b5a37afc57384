// opsrotate's command-line tool: its summary, config section and subcommand
// table, for main.cpp and for the tests that check every option is documented.
#include "opsrotate/commands.hpp"

namespace opsrotate {

ops::cli::Tool tool() {
  return ops::cli::Tool{"opsrotate",
                      "Rotate, compress and expire log files; reads logrotate's configuration.",
                      "rotate",
                      {opsrotate::rotate_command()},
                      "rotate"};
}

}  // namespace opsrotate
