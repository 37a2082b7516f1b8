#include "refimpl/memory/workload.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace lmc::ref {
namespace {

/// splitmix64's finalizer: a cheap, well-mixed hash of a 64-bit value.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// A per-page draw in [0, 1), fixed by the seed and a salt.
double page_draw(std::uint64_t seed, std::uint64_t salt, std::size_t page) {
  return static_cast<double>(mix(seed ^ mix(salt + page)) >> 11) * 0x1.0p-53;
}

constexpr std::uint64_t kZeroSalt = 0x5A5A0001;
constexpr std::uint64_t kHotSalt = 0x5A5A0002;
constexpr std::size_t kLine = 64;
constexpr std::size_t kWordsPerLine = kLine / sizeof(std::uint64_t);

}  // namespace

Workload::Workload(GuestMemory& memory, DirtyBitmap& dirty, WorkloadSpec spec)
    : memory_(memory), dirty_(dirty), spec_(spec), rng_(mix(spec.seed)) {
  if (dirty.pages() != memory.pages()) {
    throw std::invalid_argument("Workload: the dirty log and the memory differ in size");
  }
  if (spec_.pattern == Pattern::zero_heavy && spec_.zero_fraction == 0) spec_.zero_fraction = 0.9;
  if (spec_.pattern == Pattern::hot_set) {
    for (std::size_t p = 0; p < memory.pages(); ++p) {
      if (page_draw(spec_.seed, kHotSalt, p) < spec_.hot_fraction) {
        hot_.push_back(static_cast<std::uint32_t>(p));
      }
    }
    if (hot_.empty() && memory.pages() > 0) hot_.push_back(0);
  }
}

Workload::~Workload() {
  stop();
}

bool Workload::is_zero_page(std::size_t page) const {
  return spec_.zero_fraction > 0 && page_draw(spec_.seed, kZeroSalt, page) < spec_.zero_fraction;
}

void Workload::fill_initial() {
  for (std::size_t p = 0; p < memory_.pages(); ++p) fill_page(p);
}

void Workload::fill_page(std::size_t page) {
  auto bytes = memory_.page(page);
  if (is_zero_page(page)) {
    std::memset(bytes.data(), 0, bytes.size());
    return;
  }
  // Half random words, half pointer-like words that share their high bits,
  // so that compression has something to find, as in real memory.
  std::uint64_t words[kPageSize / sizeof(std::uint64_t)];
  const std::uint64_t base = mix(spec_.seed ^ (page * 0x100000001B3ull)) & 0x00007FFFFFFF0000ull;
  for (std::size_t i = 0; i < std::size(words); i += 2) {
    words[i] = mix(spec_.seed + page * std::size(words) + i);
    words[i + 1] = base + i * 8;
  }
  std::memcpy(bytes.data(), words, sizeof(words));
}

std::size_t Workload::uniform_page() {
  rng_ = mix(rng_);
  return static_cast<std::size_t>(rng_ % memory_.pages());
}

std::size_t Workload::next_page() {
  switch (spec_.pattern) {
    case Pattern::uniform:
      return uniform_page();
    case Pattern::hot_set:
      rng_ = mix(rng_);
      return hot_[rng_ % hot_.size()];
    case Pattern::sequential: {
      const std::size_t p = cursor_;
      cursor_ = (cursor_ + 1) % memory_.pages();
      return p;
    }
    case Pattern::zero_heavy:
      // Rejection keeps the zero pages zero; a bounded number of tries keeps
      // a memory that is (nearly) all zero from spinning.
      for (int tries = 0; tries < 64; ++tries) {
        const std::size_t p = uniform_page();
        if (!is_zero_page(p)) return p;
      }
      return uniform_page();
  }
  return 0;
}

void Workload::write_page(std::size_t page) {
  const std::uint64_t n = writes_.fetch_add(1, std::memory_order_relaxed) + 1;
  rng_ = mix(rng_);
  const std::size_t line = rng_ % (kPageSize / kLine);
  std::uint64_t words[kWordsPerLine];
  for (std::size_t i = 0; i < kWordsPerLine; ++i) words[i] = mix(rng_ + n * kWordsPerLine + i);
  words[0] |= 1;  // never an all-zero line: the write must change a zero page
  std::memcpy(memory_.page(page).data() + line * kLine, words, sizeof(words));
  dirty_.mark(page);
}

void Workload::write_pages(std::size_t count) {
  if (memory_.pages() == 0) return;
  for (std::size_t i = 0; i < count; ++i) write_page(next_page());
}

void Workload::advance(double seconds) {
  if (seconds <= 0) return;
  carry_ += spec_.dirty_pages_per_second * throttle() * seconds;
  const double whole = std::floor(carry_);
  carry_ -= whole;
  write_pages(static_cast<std::size_t>(whole));
}

void Workload::set_throttle(double factor) {
  if (!(factor > 0 && factor <= 1)) throw std::invalid_argument("Workload: throttle not in (0, 1]");
  throttle_.store(factor, std::memory_order_relaxed);
}

void Workload::start_real_time() {
  if (running()) return;
  stop_.store(false);
  thread_ = std::thread([this] { run_real_time(); });
}

void Workload::stop() {
  if (!running()) return;
  stop_.store(true);
  thread_.join();
}

void Workload::run_real_time() {
  using clock = std::chrono::steady_clock;
  auto last = clock::now();
  double due = 0;
  while (!stop_.load(std::memory_order_relaxed)) {
    const auto now = clock::now();
    const double rate = spec_.dirty_pages_per_second * throttle();
    due += rate * std::chrono::duration<double>(now - last).count();
    last = now;
    // A guest that cannot keep up does not bank writes for later bursts.
    due = std::min(due, std::max(rate * 0.01, 1.0));
    const auto batch = static_cast<std::size_t>(std::min(due, 4096.0));
    if (batch == 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    write_pages(batch);
    due -= static_cast<double>(batch);
  }
}

}  // namespace lmc::ref
