#include "checker/engine/probe_table.hpp"

#include <utility>

namespace lmc {

void ProbeTable::rebuild(std::size_t capacity) {
  std::vector<std::uint64_t> old_keys(capacity, 0);
  std::vector<std::uint32_t> old_locals(capacity, 0);
  old_keys.swap(keys_);
  old_locals.swap(locals_);
  mask_ = capacity - 1;
  for (std::size_t i = 0; i < old_keys.size(); ++i) {
    if (old_keys[i] == 0) continue;
    std::size_t slot = old_keys[i] & mask_;
    while (keys_[slot] != 0) slot = (slot + 1) & mask_;
    keys_[slot] = old_keys[i];
    locals_[slot] = old_locals[i];
  }
}

void TagTable::rebuild(std::size_t capacity) {
  std::vector<std::uint64_t> old(capacity, 0);
  old.swap(slots_);
  mask_ = capacity - 1;
  for (const std::uint64_t entry : old) {
    if (entry == 0) continue;
    std::size_t slot = (entry >> 32) & mask_;
    while (slots_[slot] != 0) slot = (slot + 1) & mask_;
    slots_[slot] = entry;
  }
}

}  // namespace lmc
