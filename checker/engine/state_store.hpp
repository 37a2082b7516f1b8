#pragma once
// The set of visited states, split into shards by the top bits of each
// state's hash. A shard is only ever touched by one thread at a time, which
// makes the parallel search lock-free and its numbering deterministic: a
// state's id is (its index within its shard, its shard), whatever the number
// of threads.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "checker/engine/chunked_vector.hpp"
#include "checker/engine/model_concept.hpp"
#include "checker/engine/options.hpp"
#include "checker/engine/probe_table.hpp"
#include "checker/engine/state_packing.hpp"

namespace lmc {

using StateId = std::uint64_t;
inline constexpr unsigned kShardBits = 6;
inline constexpr std::size_t kShardCount = std::size_t{1} << kShardBits;
inline constexpr StateId kNoState = ~StateId{0};

constexpr std::size_t shard_of_hash(std::uint64_t hash) {
  return hash >> (64 - kShardBits);
}
constexpr std::size_t shard_of_id(StateId id) {
  return id & (kShardCount - 1);
}
constexpr std::uint32_t local_of_id(StateId id) {
  return static_cast<std::uint32_t>(id >> kShardBits);
}
constexpr StateId make_state_id(std::size_t shard, std::uint32_t local) {
  return (StateId{local} << kShardBits) | shard;
}

/// The storage a search really uses: packed needs a model that packs.
inline StorageMode effective_storage(StorageMode requested, std::size_t packed_words) {
  return requested == StorageMode::packed && packed_words == 0 ? StorageMode::exact : requested;
}

/// One shard: its hash index, its states (exact: State objects; packed:
/// their words; fingerprint: none) and, per state, the link back to the state
/// it was first reached from, for traces.
/// Aligned to a cache line: neighbouring shards are owned by different
/// threads, and their bookkeeping must not share a line.
template <class State>
class alignas(64) StoreShard {
 public:
  struct Inserted {
    StateId id;
    bool is_new;
  };

  /// Packed mode: the states in `words` words each, indexed by tags_.
  void set_packed_words(std::size_t words) { packed_ = WordArena<9>(words); }

  /// Exact and fingerprint modes.
  Inserted insert(std::size_t shard, const State& state, std::uint64_t hash, StorageMode mode,
                  StateId parent, std::uint32_t action) {
    const auto next_local = static_cast<std::uint32_t>(parents_.size());
    auto same = [&](std::uint32_t local) {
      return mode == StorageMode::fingerprint || states_[local] == state;
    };
    const auto found = table_.find_or_insert(hash, next_local, same);
    if (found.inserted) {
      if (mode == StorageMode::exact) states_.push_back(state);
      parents_.push_back(parent);
      actions_.push_back(action);
    }
    return {make_state_id(shard, found.local), found.inserted};
  }

  /// Packed mode: `words` is the state's packed encoding.
  Inserted insert_packed(std::size_t shard, const std::uint64_t* words, std::uint64_t hash,
                         StateId parent, std::uint32_t action) {
    const auto next_local = static_cast<std::uint32_t>(parents_.size());
    auto same = [&](std::uint32_t local) { return packed_.equal(local, words); };
    const auto found = tags_.find_or_insert(hash, next_local, same);
    if (found.inserted) {
      packed_.push_back(words);
      parents_.push_back(parent);
      actions_.push_back(action);
    }
    return {make_state_id(shard, found.local), found.inserted};
  }

  /// The id of a stored state, for verifying replayed traces. In
  /// fingerprint mode a matching fingerprint is all that can be checked.
  std::optional<StateId> find(std::size_t shard, const State& state, std::uint64_t hash,
                              StorageMode mode) const {
    auto same = [&](std::uint32_t local) {
      return mode == StorageMode::fingerprint || states_[local] == state;
    };
    const auto local = table_.find(hash, same);
    if (!local) return std::nullopt;
    return make_state_id(shard, *local);
  }
  std::optional<StateId> find_packed(std::size_t shard, const std::uint64_t* words,
                                     std::uint64_t hash) const {
    const auto local = tags_.find(hash, [&](std::uint32_t l) { return packed_.equal(l, words); });
    if (!local) return std::nullopt;
    return make_state_id(shard, *local);
  }

  /// Packed mode: see TagTable::prefetch.
  void prefetch_packed(std::uint64_t hash) const { tags_.prefetch(hash); }
  /// Packed mode, once the slot is in cache: prefetches the stored state a
  /// search for `hash` would compare first.
  void prefetch_packed_match(std::uint64_t hash) const {
    if (const auto local = tags_.first_match(hash)) __builtin_prefetch(packed_[*local]);
  }
  std::size_t size() const { return parents_.size(); }
  const State& state(std::uint32_t local) const { return states_[local]; }
  const std::uint64_t* packed(std::uint32_t local) const { return packed_[local]; }
  StateId parent(std::uint32_t local) const { return parents_[local]; }
  std::uint32_t action(std::uint32_t local) const { return actions_[local]; }

  std::size_t bytes() const {
    return table_.bytes() + tags_.bytes() + states_.bytes() + packed_.bytes() + parents_.bytes() +
           actions_.bytes();
  }
  /// Checkpoints (State must be trivially copyable in exact mode).
  void save(BinaryWriter& out, StorageMode mode) const {
    if (mode == StorageMode::packed) {
      tags_.save(out);
      packed_.save(out);
    } else {
      table_.save(out);
      if (mode == StorageMode::exact) save_states(out);
    }
    parents_.save(out);
    actions_.save(out);
  }
  void load(BinaryReader& in, StorageMode mode) {
    if (mode == StorageMode::packed) {
      tags_.load(in);
      packed_.load(in);
    } else {
      table_.load(in);
      if (mode == StorageMode::exact) load_states(in);
    }
    parents_.load(in);
    actions_.load(in);
    const auto n = parents_.size();
    const auto stored = mode == StorageMode::packed  ? packed_.size()
                        : mode == StorageMode::exact ? states_.size()
                                                     : n;
    if (actions_.size() != n || stored != n) in.fail("a shard's parts disagree in length");
  }

 private:
  void save_states(BinaryWriter& out) const {
    if constexpr (std::is_trivially_copyable_v<State>) {
      states_.save(out);
    } else {
      throw CheckpointError(
          "this model's states cannot be written to a checkpoint in exact "
          "mode (they are not plain bytes): use --storage packed or fingerprint");
    }
  }
  void load_states(BinaryReader& in) {
    if constexpr (std::is_trivially_copyable_v<State>) {
      states_.load(in);
    } else {
      in.fail("this model's states cannot be read from a checkpoint in exact mode");
    }
  }

  ProbeTable table_;  ///< exact and fingerprint modes
  TagTable tags_;     ///< packed mode
  ChunkedVector<State, 10> states_;
  WordArena<9> packed_;
  ChunkedVector<StateId, 9> parents_;
  ChunkedVector<std::uint32_t, 9> actions_;
};

}  // namespace lmc

namespace lmc {

/// All shards, plus what the search needs across them.
template <Model M>
class StateStore {
  using State = typename M::State;

 public:
  StateStore(const M& model, StorageMode mode)
      : packing_(model), mode_(effective_storage(mode, packing_.words())) {
    if (mode_ == StorageMode::packed) {
      for (auto& shard : shards_) shard.set_packed_words(packing_.words());
    }
  }

  StorageMode mode() const { return mode_; }
  const StatePacking<M>& packing() const { return packing_; }
  StoreShard<State>& shard(std::size_t index) { return shards_[index]; }
  const StoreShard<State>& shard(std::size_t index) const { return shards_[index]; }

  typename StoreShard<State>::Inserted insert(const State& state, std::uint64_t hash,
                                              StateId parent, std::uint32_t action) {
    const auto index = shard_of_hash(hash);
    if constexpr (PackableModel<M>) {  // a model that does not pack is never stored packed
      if (mode_ == StorageMode::packed) {
        std::array<std::uint64_t, kMaxPackedWords> words;
        packing_.pack(state, words.data());
        return shards_[index].insert_packed(index, words.data(), hash, parent, action);
      }
    }
    return shards_[index].insert(index, state, hash, mode_, parent, action);
  }
  std::optional<StateId> find(const State& state, std::uint64_t hash) const {
    const auto index = shard_of_hash(hash);
    if constexpr (PackableModel<M>) {  // a model that does not pack is never stored packed
      if (mode_ == StorageMode::packed) {
        std::array<std::uint64_t, kMaxPackedWords> words;
        packing_.pack(state, words.data());
        return shards_[index].find_packed(index, words.data(), hash);
      }
    }
    return shards_[index].find(index, state, hash, mode_);
  }

  bool has_states() const { return mode_ != StorageMode::fingerprint; }
  /// A stored state (exact and packed modes).
  State state(StateId id) const {
    const auto& shard = shards_[shard_of_id(id)];
    if (mode_ != StorageMode::packed) return shard.state(local_of_id(id));
    State out;
    packing_.unpack(shard.packed(local_of_id(id)), out);
    return out;
  }
  StateId parent(StateId id) const { return shards_[shard_of_id(id)].parent(local_of_id(id)); }
  std::uint32_t action(StateId id) const {
    return shards_[shard_of_id(id)].action(local_of_id(id));
  }

  std::uint64_t size() const {
    std::uint64_t total = 0;
    for (const auto& s : shards_) total += s.size();
    return total;
  }
  std::uint64_t bytes() const {
    std::uint64_t total = 0;
    for (const auto& s : shards_) total += s.bytes();
    return total;
  }

  void save(BinaryWriter& out) const {
    for (const auto& shard : shards_) shard.save(out, mode_);
  }
  void load(BinaryReader& in) {
    for (auto& shard : shards_) shard.load(in, mode_);
  }

  /// Dense numbering 0..size()-1 for graph algorithms: shard by shard.
  std::array<std::uint64_t, kShardCount> dense_offsets() const {
    std::array<std::uint64_t, kShardCount> offsets{};
    std::uint64_t next = 0;
    for (std::size_t i = 0; i < kShardCount; ++i) {
      offsets[i] = next;
      next += shards_[i].size();
    }
    return offsets;
  }

 private:
  StatePacking<M> packing_;
  StorageMode mode_;
  std::array<StoreShard<State>, kShardCount> shards_;
};

}  // namespace lmc
