#pragma once
// The one place where the engine packs and unpacks a model's states: every
// stored search (bfs, dfs, and the store that rebuilds traces) goes through
// StatePacking<M>, which calls the model's members directly (no
// std::function per state) and falls back where a model gives less:
//   repack      -> pack        (no cheaper encoding from the parent's words)
//   unpack_over -> unpack      (no cheaper decoding over the previous state)
// A model that does not pack (no PackableModel) has words() == 0, and the
// packed storage mode falls back to exact.

#include <cstddef>
#include <cstdint>

#include "checker/engine/model_concept.hpp"

namespace lmc {

/// The largest packed state the store takes (words), for stack buffers.
inline constexpr std::size_t kMaxPackedWords = 32;

template <Model M>
class StatePacking {
  using State = typename M::State;

 public:
  explicit StatePacking(const M& model) : model_(&model) {}

  /// Words per packed state; 0 when the model cannot be stored packed
  /// (it does not pack, or its encoding is longer than kMaxPackedWords).
  std::size_t words() const {
    if constexpr (PackableModel<M>) {
      const std::size_t words = model_->packed_words();
      return words <= kMaxPackedWords ? words : 0;
    } else {
      return 0;
    }
  }

  void pack(const State& state, std::uint64_t* words) const {
    if constexpr (PackableModel<M>) model_->pack(state, words);
  }
  void unpack(const std::uint64_t* words, State& state) const {
    if constexpr (PackableModel<M>) model_->unpack(words, state);
  }

  /// pack(state, words), given the packed words of the state it was reached
  /// from (null for an initial state): a model that can re-encodes only
  /// what the step changed.
  void pack_successor(const State* parent, const std::uint64_t* parent_words, const State& state,
                      std::uint64_t* words) const {
    if constexpr (RepackingModel<M>) {
      if (parent != nullptr && parent_words != nullptr) {
        model_->repack(*parent, parent_words, state, words);
        return;
      }
    }
    pack(state, words);
  }

  /// unpack(words, state), where `state` already holds the unpacked
  /// `previous` words (or previous is null): a model that can rewrites only
  /// the fields that differ.
  void unpack_over(const std::uint64_t* previous, const std::uint64_t* words, State& state) const {
    if constexpr (DeltaUnpackingModel<M>) {
      if (previous != nullptr) {
        model_->unpack_over(previous, words, state);
        return;
      }
    }
    unpack(words, state);
  }

 private:
  const M* model_;
};

}  // namespace lmc
