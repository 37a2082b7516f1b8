#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "checker/engine/owned_work.hpp"

using lmc::OwnedWork;

TEST_CASE("OwnedWork::split gives contiguous near-equal ranges", "[checker][owned_work]") {
  REQUIRE(OwnedWork::split(64, 1) == std::vector<std::size_t>{0, 64});
  REQUIRE(OwnedWork::split(64, 2) == std::vector<std::size_t>{0, 32, 64});
  REQUIRE(OwnedWork::split(64, 3) == std::vector<std::size_t>{0, 21, 42, 64});
}

TEST_CASE("OwnedWork hands a thread its own items first, in order", "[checker][owned_work]") {
  OwnedWork work({0, 3, 5});
  REQUIRE(work.claim(1) == 3);
  REQUIRE(work.claim(1) == 4);
  // Its own are gone: it takes owner 0's.
  REQUIRE(work.claim(1) == 0);
  REQUIRE(work.claim(0) == 1);
  REQUIRE(work.claim(0) == 2);
  REQUIRE(work.claim(0) == OwnedWork::kNone);
  REQUIRE(work.claim(1) == OwnedWork::kNone);
}

TEST_CASE("OwnedWork with empty owners", "[checker][owned_work]") {
  OwnedWork work({0, 0, 2, 2});
  REQUIRE(work.claim(0) == 0);
  REQUIRE(work.claim(2) == 1);
  REQUIRE(work.claim(1) == OwnedWork::kNone);
}

TEST_CASE("OwnedWork gives every item to exactly one of many threads", "[checker][owned_work]") {
  constexpr std::size_t kItems = 20000;
  OwnedWork work(OwnedWork::split(kItems, 4));
  std::vector<std::atomic<int>> taken(kItems);
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (auto i = work.claim(t); i != OwnedWork::kNone; i = work.claim(t)) taken[i]++;
      });
    }
  }
  REQUIRE(std::all_of(taken.begin(), taken.end(), [](auto& n) { return n.load() == 1; }));
}
