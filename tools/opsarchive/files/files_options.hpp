#pragma once
// The keys of a files section ([archive.NAME] with `dir`), which are also the
// options of `opsarchive files` (its DIRs are arguments there). files_schema()
// declares each once: the options are made from it, and files_settings()
// reads the command line and a section alike.

#include "opsarchive/files/files_job.hpp"

#include <ops/sections.hpp>

namespace opsarchive {

const ops::SectionSchema& files_schema();

// From read_section() or read_options() of files_schema(). A compression of
// `none` (or `no`) in a section is no compression.
FilesJob files_settings(const ops::SectionValues& values);

}  // namespace opsarchive
