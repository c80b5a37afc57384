#pragma once
// What an archive entry may ask of a restore into DIR. A symlink is data: it
// is restored as it was, whatever its target (absolute, or leading out of
// DIR, as a deploy tree's `current -> /var/www/app/releases/r1`). What is
// refused is writing *through* a link: every entry is created below DIR by
// its own name, and a name whose way passes through a symlink, that leaves
// DIR (absolute, ".."), or that an earlier entry already took, stops the
// restore, naming the entry. The rule sees the tree through a lookup, so the
// same rule judges the tree on disk (a real restore) and the archive's own
// entries in memory (a dry run).

#include <functional>
#include <map>
#include <string>

namespace opsbackup {

// Empty when the name is safe; otherwise why not. Unsafe: empty, absolute,
// or with a ".." component.
std::string unsafe_entry_name(const std::string& name);

// What a path of the tree being restored is, as far as the rule cares.
enum class Node { absent, directory, symlink, other };
// What is at `path` (relative to DIR, components joined by '/', never
// through a symlink: a symlink on the way makes it absent or the symlink).
using NodeLookup = std::function<Node(const std::string& path)>;

// An archive entry as the rule sees it.
struct EntryAsk {
  std::string name;
  Node kind = Node::other;  // of the entry itself (a hard link: other)
  std::string hardlink;     // the target's name, for a hard link
};

// Empty when the entry may be created; otherwise why not, as a phrase:
// an unsafe name; a directory on its way that is a symlink or not a
// directory; a name already taken by an earlier entry (a directory may be
// named twice); a hard link whose target is unsafe, not restored before it,
// a directory, or reached through a symlink.
std::string entry_refusal(const EntryAsk& entry, const NodeLookup& at);

// The entries of an archive, in memory: what a dry run judges the next
// entry against, as the real run does against the tree on disk.
class ArchiveTree {
 public:
  Node at(const std::string& path) const;
  // Records an accepted entry, and the directories its name implies.
  void add(const EntryAsk& entry);

 private:
  std::map<std::string, Node> nodes_;
};

// The components of a name, without "." and empty ones, joined by '/'.
std::string clean_name(const std::string& name);

}  // namespace opsbackup
