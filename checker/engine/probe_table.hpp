#pragma once
// An open-addressing hash index from 64-bit keys to a shard's local state
// numbers. One thread owns a table at a time (the search shards its states by
// hash), so it needs no locks; linear probing keeps lookups in one cache line.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "checker/engine/checkpoint.hpp"

namespace lmc {

class ProbeTable {
 public:
  struct Found {
    std::uint32_t local;
    bool inserted;
  };

  ProbeTable() { rebuild(kInitialCapacity); }

  /// Finds the entry whose key equals `key` and for which `same(local)` holds,
  /// or inserts `next_local` under `key`. Key 0 marks empty slots, so a zero
  /// key is stored as 1.
  template <class SameState>
  Found find_or_insert(std::uint64_t key, std::uint32_t next_local, SameState&& same) {
    key = key == 0 ? 1 : key;
    if ((size_ + 1) * 4 > capacity() * 3) rebuild(capacity() * 2);
    for (std::size_t slot = key & mask_;; slot = (slot + 1) & mask_) {
      if (keys_[slot] == 0) {
        keys_[slot] = key;
        locals_[slot] = next_local;
        ++size_;
        return {next_local, true};
      }
      if (keys_[slot] == key && same(locals_[slot])) return {locals_[slot], false};
    }
  }

  /// The local number stored under `key` for which `same(local)` holds.
  template <class SameState>
  std::optional<std::uint32_t> find(std::uint64_t key, SameState&& same) const {
    key = key == 0 ? 1 : key;
    for (std::size_t slot = key & mask_; keys_[slot] != 0; slot = (slot + 1) & mask_) {
      if (keys_[slot] == key && same(locals_[slot])) return locals_[slot];
    }
    return std::nullopt;
  }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return keys_.size(); }
  std::size_t bytes() const {
    return keys_.capacity() * sizeof(std::uint64_t) + locals_.capacity() * sizeof(std::uint32_t);
  }
  void save(BinaryWriter& out) const {
    out.vector(keys_);
    out.vector(locals_);
    out.pod(static_cast<std::uint64_t>(size_));
  }
  void load(BinaryReader& in) {
    in.vector(keys_);
    in.vector(locals_);
    std::uint64_t size = 0;
    in.pod(size);
    const bool power_of_two = !keys_.empty() && (keys_.size() & (keys_.size() - 1)) == 0;
    if (!power_of_two || locals_.size() != keys_.size() || size >= keys_.size()) {
      in.fail("a damaged hash table");
    }
    mask_ = keys_.size() - 1;
    size_ = size;
  }

 private:
  static constexpr std::size_t kInitialCapacity = 16;

  void rebuild(std::size_t capacity);

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> locals_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

/// The same index in 8 bytes a slot, for stores that compare whole states
/// anyway (packed mode): a slot holds 32 bits of the hash (the tag, which
/// also picks the slot) and the local number plus one (0: empty). A tag
/// match is only a hint; `same` decides. One load per probe instead of two.
class TagTable {
 public:
  TagTable() { rebuild(kInitialCapacity); }

  template <class SameState>
  ProbeTable::Found find_or_insert(std::uint64_t hash, std::uint32_t next_local, SameState&& same) {
    if ((size_ + 1) * 4 > capacity() * 3) rebuild(capacity() * 2);
    const std::uint64_t tag = tag_of(hash);
    for (std::size_t slot = tag & mask_;; slot = (slot + 1) & mask_) {
      const std::uint64_t entry = slots_[slot];
      if (entry == 0) {
        slots_[slot] = tag << 32 | (std::uint64_t{next_local} + 1);
        ++size_;
        return {next_local, true};
      }
      const auto local = static_cast<std::uint32_t>(entry) - 1;
      if ((entry >> 32) == tag && same(local)) return {local, false};
    }
  }

  template <class SameState>
  std::optional<std::uint32_t> find(std::uint64_t hash, SameState&& same) const {
    const std::uint64_t tag = tag_of(hash);
    for (std::size_t slot = tag & mask_; slots_[slot] != 0; slot = (slot + 1) & mask_) {
      const std::uint64_t entry = slots_[slot];
      const auto local = static_cast<std::uint32_t>(entry) - 1;
      if ((entry >> 32) == tag && same(local)) return local;
    }
    return std::nullopt;
  }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }
  std::size_t bytes() const { return slots_.capacity() * sizeof(std::uint64_t); }
  void save(BinaryWriter& out) const {
    out.vector(slots_);
    out.pod(static_cast<std::uint64_t>(size_));
  }
  void load(BinaryReader& in) {
    in.vector(slots_);
    std::uint64_t size = 0;
    in.pod(size);
    const bool power_of_two = !slots_.empty() && (slots_.size() & (slots_.size() - 1)) == 0;
    if (!power_of_two || size >= slots_.size()) in.fail("a damaged hash table");
    mask_ = slots_.size() - 1;
    size_ = size;
  }
  /// Asks the cache for the slot where a search for `hash` starts; a hint
  /// (no effect on results), so a table that grows meanwhile is harmless.
  void prefetch(std::uint64_t hash) const { __builtin_prefetch(&slots_[tag_of(hash) & mask_]); }
  /// The first entry a search for `hash` would compare with, if any: its
  /// state is worth prefetching too (most candidates are states seen before).
  std::optional<std::uint32_t> first_match(std::uint64_t hash) const {
    const std::uint64_t tag = tag_of(hash);
    for (std::size_t slot = tag & mask_; slots_[slot] != 0; slot = (slot + 1) & mask_) {
      const std::uint64_t entry = slots_[slot];
      if ((entry >> 32) == tag) return static_cast<std::uint32_t>(entry) - 1;
    }
    return std::nullopt;
  }

 private:
  static constexpr std::size_t kInitialCapacity = 16;
  /// Bits 16..47: clear of the top bits that pick the shard.
  static std::uint64_t tag_of(std::uint64_t hash) { return (hash >> 16) & 0xFFFFFFFFu; }

  void rebuild(std::size_t capacity);

  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace lmc
