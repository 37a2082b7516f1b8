#pragma once
// The dirty log: one bit per guest page, in 64-bit atomic words, as a
// hypervisor's dirty log. Guest threads set bits after writing a page; the
// sender clears them just before it reads the page, so a write that races with
// the read sets the bit again and the page goes out in a later pass.
//
// The word-level members exist for the transfer loop, which scans and clears
// 64 pages with one atomic operation instead of testing them one by one.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace lmc::ref {

/// A seeded bug for the dirty log's stress test (tests/refimpl/memory), in
/// the style of refimpl/lm/mutation.hpp but local to this layer. It is
/// compiled in only with LMC_REFIMPL_MUTATIONS, which only the test program
/// lmc_dirty_log_mutation_tests sets; everywhere else (lmc included)
/// active_dirty_log_mutation() is a constant and the branch compiles away.
enum class DirtyLogMutation {
  none,
  split_harvest,  ///< take_from reads a word, then stores zero: a mark in between is lost
};

#ifdef LMC_REFIMPL_MUTATIONS
DirtyLogMutation active_dirty_log_mutation();
/// Set it before the threads that use the log start.
void set_active_dirty_log_mutation(DirtyLogMutation mutation);
#else
constexpr DirtyLogMutation active_dirty_log_mutation() {
  return DirtyLogMutation::none;
}
#endif

class DirtyBitmap {
 public:
  explicit DirtyBitmap(std::size_t pages);

  std::size_t pages() const { return pages_; }
  /// After the guest wrote `page`: release, so that whoever clears the bit
  /// with acquire then reads the written bytes.
  void mark(std::size_t page) { words_[page / 64].fetch_or(bit(page), std::memory_order_release); }
  void mark_all();
  void clear_all();
  bool test(std::size_t page) const {
    return (words_[page / 64].load(std::memory_order_acquire) & bit(page)) != 0;
  }
  bool test_and_clear(std::size_t page) {
    return (words_[page / 64].fetch_and(~bit(page), std::memory_order_acq_rel) & bit(page)) != 0;
  }
  /// Number of dirty pages (a popcount over the words; not a snapshot while
  /// the guest writes).
  std::size_t count() const;

  // Word-level access for the transfer loop. Word w holds pages 64w..64w+63,
  // page 64w + i in bit i.
  std::size_t words() const { return words_count_; }
  std::uint64_t load_word(std::size_t w) const { return words_[w].load(std::memory_order_acquire); }
  /// Clears the bits of `mask` in word w; returns which of them were set.
  std::uint64_t clear_bits(std::size_t w, std::uint64_t mask) {
    return words_[w].fetch_and(~mask, std::memory_order_acq_rel) & mask;
  }
  void mark_bits(std::size_t w, std::uint64_t mask) {
    if (mask != 0) words_[w].fetch_or(mask, std::memory_order_release);
  }
  /// Moves every bit of `log` into this bitmap and clears it in `log`
  /// (QEMU's bitmap sync: a round sends what was dirty when it began).
  /// Both bitmaps must have the same number of pages.
  void take_from(DirtyBitmap& log);

 private:
  static std::uint64_t bit(std::size_t page) { return std::uint64_t{1} << (page % 64); }
  /// Reads and clears one word of a log in one atomic step.
  static std::uint64_t harvest(std::atomic<std::uint64_t>& word);
  /// The valid bits of word w (the last word may be partial).
  std::uint64_t valid_mask(std::size_t w) const;

  std::size_t pages_;
  std::size_t words_count_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> words_;
};

}  // namespace lmc::ref
