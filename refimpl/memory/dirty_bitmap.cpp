#include "refimpl/memory/dirty_bitmap.hpp"

#include <bit>
#include <stdexcept>

namespace lmc::ref {

#ifdef LMC_REFIMPL_MUTATIONS
namespace {
DirtyLogMutation g_active_mutation = DirtyLogMutation::none;
}  // namespace

DirtyLogMutation active_dirty_log_mutation() {
  return g_active_mutation;
}
void set_active_dirty_log_mutation(DirtyLogMutation mutation) {
  g_active_mutation = mutation;
}
#endif

DirtyBitmap::DirtyBitmap(std::size_t pages)
    : pages_(pages),
      words_count_((pages + 63) / 64),
      words_(std::make_unique<std::atomic<std::uint64_t>[]>(words_count_)) {
  clear_all();
}

std::uint64_t DirtyBitmap::valid_mask(std::size_t w) const {
  const std::size_t rest = pages_ - w * 64;
  return rest >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << rest) - 1;
}

void DirtyBitmap::mark_all() {
  for (std::size_t w = 0; w < words_count_; ++w) {
    words_[w].fetch_or(valid_mask(w), std::memory_order_release);
  }
}

void DirtyBitmap::clear_all() {
  for (std::size_t w = 0; w < words_count_; ++w) words_[w].store(0, std::memory_order_release);
}

std::size_t DirtyBitmap::count() const {
  std::size_t n = 0;
  for (std::size_t w = 0; w < words_count_; ++w) {
    n += static_cast<std::size_t>(std::popcount(words_[w].load(std::memory_order_relaxed)));
  }
  return n;
}

std::uint64_t DirtyBitmap::harvest(std::atomic<std::uint64_t>& word) {
  if (active_dirty_log_mutation() == DirtyLogMutation::split_harvest) {
    // The seeded bug: a guest's mark between the load and the store is wiped
    // out without being reported, and that write is never sent.
    const std::uint64_t bits = word.load(std::memory_order_acquire);
    word.store(0, std::memory_order_release);
    return bits;
  }
  // One read-modify-write: a mark lands either before it (and is returned)
  // or after it (and stays set for the next harvest).
  return word.exchange(0, std::memory_order_acq_rel);
}

void DirtyBitmap::take_from(DirtyBitmap& log) {
  if (log.pages_ != pages_) throw std::invalid_argument("DirtyBitmap::take_from: sizes differ");
  for (std::size_t w = 0; w < words_count_; ++w) {
    // Skip the exchange on clean words: most of a late round's log is clean.
    // A mark this load misses stays set for the next harvest.
    if (log.words_[w].load(std::memory_order_relaxed) == 0) continue;
    mark_bits(w, harvest(log.words_[w]));
  }
}

}  // namespace lmc::ref
