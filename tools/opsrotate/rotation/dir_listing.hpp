#pragma once
// The names in the directories where logs rotate, read once per directory
// and looked up by prefix. Finding a log's earlier rotations and leftovers
// by reading its directory again for each log made a run over N logs in one
// directory take time in N squared (43 s for 10,000 logs of one glob).
//
// A listing holds until clear(): the run clears them whenever files may have
// changed behind it (a block's renames, creates and scripts); what the run
// removes itself while planning it forgets one by one.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace opsrotate {

class DirListings {
 public:
  // The names in dir (not "." and "..") that start with prefix, sorted; none
  // when dir cannot be read (absent, not a directory, no permission).
  std::vector<std::string> starting_with(const std::filesystem::path& dir, std::string_view prefix);
  // A name the run removed from dir itself.
  void forget(const std::filesystem::path& dir, const std::string& name);
  void clear() { dirs_.clear(); }

 private:
  // std::less<>: looked up by a string_view prefix without a copy.
  using Names = std::set<std::string, std::less<>>;
  const Names& names(const std::filesystem::path& dir);
  std::map<std::filesystem::path, Names> dirs_;
};

}  // namespace opsrotate
