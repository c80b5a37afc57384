// opsrotate: rotate, compress and expire logs as logrotate's configuration says.
#include "opsrotate/commands.hpp"

int main(int argc, char** argv) {
  ops::cli::Tool tool{"opsrotate",
                      "Rotate, compress and expire log files; reads logrotate's configuration.",
                      "rotate",
                      {opsrotate::rotate_command()},
                      "rotate"};
  return ops::cli::run(tool, argc, argv);
}
