#pragma once
// One line of an authentication log, split into what every source gives:
// its time, the program that wrote it ("sshd", "sshd-session", "sudo",
// "su"), its PID and the message after "program[pid]: ". A syslog file line
// is split into this by the file reader, a journal entry gives these as
// fields (SYSLOG_IDENTIFIER, _PID, MESSAGE); the parser of messages reads
// only this.

#include <ops/clock.hpp>

#include <string_view>

namespace opsaudit {

struct AuthLine {
  ops::SysTime time;
  std::string_view program;
  std::string_view pid;      // empty when the line has none
  std::string_view message;
};

}  // namespace opsaudit
