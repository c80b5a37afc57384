#include "opsarchive/files/files_options.hpp"

namespace opsarchive {

const ops::SectionSchema& files_schema() {
  using ops::KeyType;
  using Key = ops::SectionKey;
  static const ops::SectionSchema schema{"archive", "a files section", {
    Key("dir", KeyType::list, "a directory to work in (repeatable); the DIR arguments of opsarchive files"),
    Key("older_than", KeyType::duration,
        "compress (or collect) files whose mtime is older than this (90d, 12h, 1w)")
        .with_option("older-than", "DURATION"),
    Key("match", KeyType::list,
        "only files whose name matches GLOB (repeatable; a compressed name matches without its .gz)")
        .with_option("match", "GLOB"),
    Key("compress", KeyType::compression,
        "compress each file in place to NAME.gz (.zst, .xz), keeping mode, owner and mtime")
        .with_option("compress", "gzip|zstd|xz")
        .with_implicit("gzip"),
    Key("into_tar", KeyType::path,
        "instead collect them into one archive PATH (.tar, .tar.gz, .tar.zst, .tar.xz; %Y%m%d = the cut-off date)")
        .with_option("into-tar", "PATH"),
    Key("delete_older_than", KeyType::duration, "remove files (plain, compressed, archives) older than this")
        .with_option("delete-older-than", "DURATION"),
    Key("level", KeyType::integer, "compression level (gzip 1-9, zstd 1-19, xz 0-9)")
        .with_option("level", "N")
        .with_range(0, 22),
    Key("allow_shared_dirs", KeyType::flag,
        "also work in directories writable by others or by a group other than root (skipped otherwise)")
        .with_option("allow-shared-dirs"),
  }};
  return schema;
}

FilesJob files_settings(const ops::SectionValues& v) {
  FilesJob job;
  for (const auto& dir : v.list("dir")) job.dirs.emplace_back(dir);
  job.older_than = v.duration("older_than");
  job.match = v.list("match");
  if (auto c = v.compression("compress"); c && *c != ops::Compression::none) job.compress = *c;
  if (auto t = v.text("into_tar")) job.into_tar = *t;
  job.delete_older_than = v.duration("delete_older_than");
  if (auto l = v.integer("level")) job.level = static_cast<int>(*l);
  job.allow_shared_dirs = v.flag("allow_shared_dirs");
  return job;
}

}  // namespace opsarchive
