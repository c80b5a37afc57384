#pragma once
// The destination that is a file (see row_file.hpp for how a batch is made
// durable and how a crashed run's batch is resolved).

#include "opsarchive/rows/destination.hpp"

namespace opsarchive {

// Opens (creates, locks) the file; a dry run only notes its format.
std::unique_ptr<Destination> open_file_destination(const DestinationRequest& request, const TableShape& shape,
                                                   bool dry_run, std::ostream& notes);

}  // namespace opsarchive
