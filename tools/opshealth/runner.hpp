#pragma once
// Runs checks concurrently, each on its own thread under its own deadline.
// A check that has not answered by its deadline (a hung database, a site
// that accepts and never replies, a stale NFS mount in statvfs) becomes a row
// with its on_timeout status; its thread is abandoned, never joined, so it
// cannot hold the others or the report. main() ends the process with
// std::_Exit when any thread was abandoned, so exit-time destructors never
// run under a thread still using what they destroy.

#include "opshealth/check.hpp"

#include <chrono>
#include <vector>

namespace opshealth {

struct Planned {
  const Kind* kind = nullptr;
  Request request;
  std::chrono::milliseconds timeout{10000};
  ops::Status on_timeout = ops::Status::critical;
};

// The rows of every check, in the order planned. A check that throws
// ops::Error gives one row with the error's status (unknown for a usage
// error) and message; one that returns no row gives an UNKNOWN row.
std::vector<Result> run_checks(std::vector<Planned> plans);

// Whether a check of this process was left running at its deadline.
bool checks_abandoned() noexcept;

// Reads the kind's timeout and on_timeout from its settings.
Planned plan(const Kind& kind, std::string label, std::vector<std::string> args, ops::SectionValues settings,
             const ops::Config& config);

}  // namespace opshealth
