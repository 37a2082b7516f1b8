#pragma once
// Threads that live as long as a search and run one job after another. A
// breadth-first search runs two short parallel phases per level (a fraction
// of a millisecond on small levels); starting threads for each phase cost
// more than the phase itself, and each new thread faulted in a fresh stack.

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace lmc {

class WorkerPool {
 public:
  /// `threads` in all: the caller of run() is thread 0, so threads - 1
  /// workers are started.
  explicit WorkerPool(unsigned threads) {
    for (unsigned t = 1; t < threads; ++t) workers_.emplace_back([this, t] { serve(t); });
  }
  ~WorkerPool() {
    stopping_ = true;
    publish();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(workers_.size()) + 1; }

  /// Calls job(thread) on every thread of the pool, this one as thread 0,
  /// and returns when all calls have returned; with `parallel` false, on
  /// thread 0 only. Not reentrant.
  template <class Job>
  void run(bool parallel, Job&& job) {
    if (workers_.empty() || !parallel) {
      job(0u);
      return;
    }
    job_ = &job;
    call_ = [](void* j, unsigned thread) { (*static_cast<Job*>(j))(thread); };
    pending_.store(static_cast<unsigned>(workers_.size()), std::memory_order_relaxed);
    publish();
    try {
      job(0u);
    } catch (...) {
      wait_for_workers();  // they still use `job`
      throw;
    }
    wait_for_workers();
  }

 private:
  void wait_for_workers() {
    wait_until([&] { return pending_.load(std::memory_order_acquire) == 0; }, pending_);
  }

  /// A new generation tells the workers there is a job (or a stop).
  void publish() {
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
  }

  void serve(unsigned thread) {
    std::uint64_t seen = 0;
    for (;;) {
      wait_until([&] { return generation_.load(std::memory_order_acquire) != seen; }, generation_);
      seen = generation_.load(std::memory_order_acquire);
      if (stopping_) return;
      call_(job_, thread);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
    }
  }

  /// Spins a little (the next phase usually follows within microseconds),
  /// then sleeps on `word` until it changes, so idle workers of a loaded
  /// machine give their core away.
  template <class Done, class Word>
  static void wait_until(Done&& done, std::atomic<Word>& word) {
    for (int spin = 0; spin < kSpins; ++spin) {
      if (done()) return;
      pause();
    }
    while (!done()) {
      const Word now = word.load(std::memory_order_acquire);
      if (done()) return;
      word.wait(now, std::memory_order_acquire);
    }
  }

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  static constexpr int kSpins = 20000;

  void* job_ = nullptr;
  void (*call_)(void*, unsigned) = nullptr;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<unsigned> pending_{0};
  std::atomic<bool> stopping_{false};
  std::vector<std::jthread> workers_;  // last: joined before the rest is destroyed
};

}  // namespace lmc
