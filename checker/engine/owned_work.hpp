#pragma once
// Work items split among threads by owner, claimed owner first, then stolen.
// The search gives each thread a fixed range of state-store shards: it
// merges into them and expands the states it stored there, so the states
// and hash-table lines it touches are mostly in its own core's cache. A
// thread that runs out of its own items takes the others' (in order), so an
// uneven level still finishes together.

#include <atomic>
#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

namespace lmc {

class OwnedWork {
 public:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  /// Owner t holds items [first[t], first[t + 1]); first.size() is the
  /// number of owners + 1 and first.front() is 0.
  explicit OwnedWork(std::vector<std::size_t> first)
      : first_(std::move(first)), next_(new Cursor[owners()]) {
    for (std::size_t t = 0; t < owners(); ++t) next_[t].at.store(first_[t]);
  }

  std::size_t owners() const { return first_.size() - 1; }

  /// The next unclaimed item, thread's own first; kNone when all are taken.
  std::size_t claim(std::size_t thread) {
    const std::size_t n = owners();
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t owner = (thread + k) % n;
      auto& cursor = next_[owner].at;
      if (cursor.load(std::memory_order_relaxed) >= first_[owner + 1]) continue;
      const std::size_t item = cursor.fetch_add(1, std::memory_order_relaxed);
      if (item < first_[owner + 1]) return item;
    }
    return kNone;
  }

  /// The first shard of each of `owners` contiguous, near-equal ranges of
  /// `shards` shards (owners + 1 entries).
  static std::vector<std::size_t> split(std::size_t shards, std::size_t owners) {
    std::vector<std::size_t> first(owners + 1);
    for (std::size_t t = 0; t <= owners; ++t) first[t] = t * shards / owners;
    return first;
  }

 private:
  /// Each owner's cursor on its own cache line: thieves and owner write it.
  struct alignas(64) Cursor {
    std::atomic<std::size_t> at{0};
  };

  std::vector<std::size_t> first_;
  std::unique_ptr<Cursor[]> next_;
};

}  // namespace lmc
