#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

#include "checker/engine/worker_pool.hpp"

using lmc::WorkerPool;

TEST_CASE("WorkerPool runs a job once on every thread and waits for all", "[checker][pool]") {
  for (unsigned threads : {1u, 2u, 4u}) {
    WorkerPool pool(threads);
    REQUIRE(pool.size() == threads);
    std::vector<std::atomic<int>> calls(threads);
    // Many short jobs in a row: the pool's reason to exist.
    for (int round = 0; round < 500; ++round) {
      std::atomic<int> running{0};
      pool.run(true, [&](unsigned t) {
        running.fetch_add(1);
        calls[t].fetch_add(1);
      });
      // run() returned: every thread's call has finished.
      REQUIRE(running.load() == static_cast<int>(threads));
    }
    for (auto& c : calls) REQUIRE(c.load() == 500);
  }
}

TEST_CASE("WorkerPool results written by workers are visible after run()", "[checker][pool]") {
  WorkerPool pool(3);
  std::vector<long> sums(3, 0);
  for (long round = 1; round <= 100; ++round) {
    pool.run(true, [&](unsigned t) { sums[t] += round; });  // plain writes: run() orders them
  }
  for (long s : sums) REQUIRE(s == 5050);
}

TEST_CASE("WorkerPool passes an exception of thread 0 on after the others finish",
          "[checker][pool]") {
  WorkerPool pool(2);
  std::atomic<int> finished{0};
  REQUIRE_THROWS_AS(pool.run(true,
                             [&](unsigned t) {
                               if (t == 0) throw std::runtime_error("thread 0 failed");
                               finished.fetch_add(1);
                             }),
                    std::runtime_error);
  REQUIRE(finished.load() == 1);
  // Still usable.
  pool.run(true, [&](unsigned) { finished.fetch_add(1); });
  REQUIRE(finished.load() == 3);
}

TEST_CASE("WorkerPool runs a job on thread 0 only when told it is not worth the threads",
          "[checker][pool]") {
  WorkerPool pool(3);
  std::vector<int> calls(3, 0);
  pool.run(false, [&](unsigned t) { calls[t]++; });
  REQUIRE(calls == std::vector<int>{1, 0, 0});
  pool.run(true, [&](unsigned t) { calls[t]++; });
  REQUIRE(calls == std::vector<int>{2, 1, 1});
}
