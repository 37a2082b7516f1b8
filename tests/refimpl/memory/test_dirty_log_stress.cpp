// The dirty log under concurrent writers: writer threads mark pages while a
// reader harvests (reads and clears) the log over and over, as pre-copy does
// with a running guest. Every write must be accounted for: a page written
// after its last harvest must still be dirty at the next one. A harvest that
// read a word and then cleared it in a second step would lose a mark made in
// between; the mutation test below shows that this test catches exactly that.
//
// Accounting: page p has a write sequence seq[p] (writes made to it so far)
// and accounted[p], the sequence the reader saw when it last harvested p. A
// writer writes p again only once accounted[p] == seq[p], so every write is
// the page's last one until harvested: a lost mark leaves accounted[p] <
// seq[p] for good, and the final harvest finds it.

#include <atomic>
#include <bit>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "refimpl/memory/dirty_bitmap.hpp"

namespace lmc::ref {
namespace {

constexpr std::size_t kPages = 300;  // five words, the last one partial: the writers collide
constexpr int kWriters = 3;
/// A run lasts kDuration and until the writers made kMinWrites writes (each
/// page rewritten ten times over, after harvests), but at most kMaxDuration:
/// under ThreadSanitizer, on a loaded machine, 250 ms can be too few.
constexpr auto kDuration = std::chrono::milliseconds(250);
constexpr auto kMaxDuration = std::chrono::seconds(10);
constexpr std::uint64_t kMinWrites = 10 * kPages;

struct Ledger {
  explicit Ledger(std::size_t pages)
      : seq(std::make_unique<std::atomic<std::uint64_t>[]>(pages)),
        accounted(std::make_unique<std::atomic<std::uint64_t>[]>(pages)) {}
  std::unique_ptr<std::atomic<std::uint64_t>[]> seq;
  std::unique_ptr<std::atomic<std::uint64_t>[]> accounted;
};

struct Outcome {
  std::uint64_t writes = 0;     ///< counted by the writers
  std::uint64_t sequenced = 0;  ///< the sum of the pages' write sequences
  std::uint64_t harvests = 0;
  std::size_t lost_pages = 0;  ///< written after their last harvest, not dirty at the end
  std::string first_lost;
};

/// One way of reading and clearing the log; calls `found` for every page it
/// reported dirty, after the clear.
using Harvest = std::function<void(DirtyBitmap& log, const std::function<void(std::size_t)>&)>;

/// Precopy::round's harvest: move the log into a round's bitmap.
void harvest_take_from(DirtyBitmap& log, const std::function<void(std::size_t)>& found) {
  DirtyBitmap round(log.pages());
  round.take_from(log);
  for (std::size_t p = 0; p < round.pages(); ++p) {
    if (round.test(p)) found(p);
  }
}

/// The transfer loop's: load a word, clear exactly the bits it saw.
void harvest_word_mask(DirtyBitmap& log, const std::function<void(std::size_t)>& found) {
  for (std::size_t w = 0; w < log.words(); ++w) {
    const std::uint64_t seen = log.load_word(w);
    if (seen == 0) continue;
    std::uint64_t bits = log.clear_bits(w, seen);
    for (; bits != 0; bits &= bits - 1)
      found(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
  }
}

/// The naive loop's: one test_and_clear per page.
void harvest_per_page(DirtyBitmap& log, const std::function<void(std::size_t)>& found) {
  for (std::size_t p = 0; p < log.pages(); ++p) {
    if (log.test_and_clear(p)) found(p);
  }
}

void write_own_pages(int writer, DirtyBitmap& log, Ledger& ledger, const std::atomic<bool>& stop,
                     std::atomic<std::uint64_t>& writes) {
  std::uint64_t made = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    // Interleaved ownership: every word holds pages of every writer.
    for (std::size_t p = static_cast<std::size_t>(writer); p < kPages; p += kWriters) {
      const std::uint64_t s = ledger.seq[p].load(std::memory_order_relaxed);   // only we write it
      if (ledger.accounted[p].load(std::memory_order_acquire) != s) continue;  // not harvested yet
      ledger.seq[p].store(s + 1, std::memory_order_relaxed);                   // the write ...
      log.mark(p);  // ... then its mark (release)
      ++made;
    }
  }
  writes.fetch_add(made);
}

std::uint64_t writes_so_far(const Ledger& ledger) {
  std::uint64_t sum = 0;
  for (std::size_t p = 0; p < kPages; ++p) sum += ledger.seq[p].load(std::memory_order_relaxed);
  return sum;
}

/// Harvests over and over until the run has lasted long enough and raced enough.
void harvest_until_done(const Harvest& harvest, DirtyBitmap& log, const Ledger& ledger,
                        const std::function<void(std::size_t)>& account, Outcome& out) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  for (;;) {
    harvest(log, account);
    ++out.harvests;
    if (out.harvests % 64 != 0) continue;
    const auto elapsed = clock::now() - start;
    if (elapsed >= kMaxDuration) return;
    if (elapsed >= kDuration && writes_so_far(ledger) >= kMinWrites) return;
  }
}

Outcome run_stress(const Harvest& harvest) {
  DirtyBitmap log(kPages);
  Ledger ledger(kPages);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> writes{0};
  Outcome out;
  const auto account = [&](std::size_t p) {
    // The clear synchronized with the mark, so seq is at least that write's.
    ledger.accounted[p].store(ledger.seq[p].load(std::memory_order_relaxed),
                              std::memory_order_release);
  };
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back(write_own_pages, w, std::ref(log), std::ref(ledger), std::cref(stop),
                         std::ref(writes));
  }
  harvest_until_done(harvest, log, ledger, account, out);
  stop.store(true);
  for (auto& t : writers) t.join();
  harvest(log, account);  // the final harvest: the guest is suspended
  out.writes = writes.load();
  for (std::size_t p = 0; p < kPages; ++p) {
    const auto seq = ledger.seq[p].load();
    const auto accounted = ledger.accounted[p].load();
    out.sequenced += seq;
    if (accounted == seq) continue;
    if (out.lost_pages++ == 0) {
      out.first_lost = "page " + std::to_string(p) + ": written " + std::to_string(seq) +
                       " times, harvested up to write " + std::to_string(accounted);
    }
  }
  return out;
}

void require_every_write_accounted(const Outcome& out) {
  INFO("writes " << out.writes << ", harvests " << out.harvests << "; " << out.first_lost);
  CHECK(out.sequenced == out.writes);
  CHECK(out.lost_pages == 0);
  // The run did race: many writes, each page rewritten after harvests.
  CHECK(out.harvests > 10);
  CHECK(out.writes >= kMinWrites);
}

TEST_CASE("dirty log stress: concurrent writers lose no write to repeated harvests",
          "[memory][stress]") {
  SECTION("take_from (pre-copy's bitmap sync)") {
    require_every_write_accounted(run_stress(harvest_take_from));
  }
  SECTION("load a word, clear the bits seen (the transfer loop)") {
    require_every_write_accounted(run_stress(harvest_word_mask));
  }
  SECTION("test_and_clear per page (the naive loop)") {
    require_every_write_accounted(run_stress(harvest_per_page));
  }
}

#ifdef LMC_REFIMPL_MUTATIONS
TEST_CASE("dirty log stress: a harvest that reads, then clears, loses writes",
          "[memory][stress][mutations]") {
  // The check above must be able to fail: with the seeded bug some mark
  // falls between the read and the clear. Losing one is a matter of timing,
  // so the run repeats (up to 40 x 250 ms) until one is lost.
  set_active_dirty_log_mutation(DirtyLogMutation::split_harvest);
  Outcome out;
  for (int attempt = 0; attempt < 40 && out.lost_pages == 0; ++attempt) {
    out = run_stress(harvest_take_from);
  }
  set_active_dirty_log_mutation(DirtyLogMutation::none);
  INFO(out.first_lost);
  CHECK(out.lost_pages > 0);
  CHECK(out.sequenced == out.writes);  // the writers' own count is still right
}
#endif

}  // namespace
}  // namespace lmc::ref
