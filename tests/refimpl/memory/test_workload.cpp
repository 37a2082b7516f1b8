#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <thread>

#include "refimpl/core/page_ops.hpp"
#include "refimpl/memory/workload.hpp"

using namespace lmc::ref;

namespace {

std::array<std::uint64_t, 2> run(WorkloadSpec spec, std::size_t writes) {
  GuestMemory m(256);
  DirtyBitmap d(256);
  Workload w(m, d, spec);
  w.fill_initial();
  w.write_pages(writes);
  return m.digest();
}

}  // namespace

TEST_CASE("workload: the same seed gives the same memory", "[memory]") {
  const WorkloadSpec a{.pattern = Pattern::uniform, .seed = 7};
  const WorkloadSpec b{.pattern = Pattern::uniform, .seed = 8};
  CHECK(run(a, 100) == run(a, 100));
  CHECK(run(a, 100) != run(b, 100));
  CHECK(run(a, 100) != run(a, 101));
}

TEST_CASE("workload: fill_initial leaves the zero share zero and marks nothing", "[memory]") {
  GuestMemory m(1000);
  DirtyBitmap d(1000);
  Workload w(m, d, {.pattern = Pattern::zero_heavy, .seed = 3});
  w.fill_initial();
  CHECK(d.count() == 0);
  std::size_t zero = 0;
  for (std::size_t p = 0; p < m.pages(); ++p) {
    const bool is_zero = is_zero_page(m.page(p).data());
    REQUIRE(is_zero == w.is_zero_page(p));
    zero += is_zero ? 1 : 0;
  }
  CHECK(zero > 850);  // 0.9 by default for zero_heavy
  CHECK(zero < 950);
  w.write_pages(500);  // zero_heavy writes spare the zero pages
  for (std::size_t p = 0; p < m.pages(); ++p) {
    if (w.is_zero_page(p)) REQUIRE(is_zero_page(m.page(p).data()));
  }
}

TEST_CASE("workload: every write changes its page and marks it", "[memory]") {
  GuestMemory m(64);
  DirtyBitmap d(64);
  Workload w(m, d, {.pattern = Pattern::sequential});
  w.fill_initial();
  GuestMemory before(64);
  std::memcpy(before.data(), m.data(), m.bytes());
  w.write_pages(10);
  CHECK(w.writes() == 10);
  CHECK(d.count() == 10);
  for (std::size_t p = 0; p < 64; ++p) {
    const bool changed = std::memcmp(before.page(p).data(), m.page(p).data(), kPageSize) != 0;
    REQUIRE(changed == (p < 10));  // the sweep starts at page 0
    REQUIRE(d.test(p) == (p < 10));
  }
}

TEST_CASE("workload: hot_set writes stay in the hot pages", "[memory]") {
  GuestMemory m(1000);
  DirtyBitmap d(1000);
  Workload w(m, d, {.pattern = Pattern::hot_set, .hot_fraction = 0.05});
  w.write_pages(5000);
  CHECK(d.count() > 20);
  CHECK(d.count() < 80);
}

TEST_CASE("workload: advance keeps the fraction and follows the throttle", "[memory]") {
  GuestMemory m(64);
  DirtyBitmap d(64);
  Workload w(m, d, {.dirty_pages_per_second = 10});
  w.advance(0.25);  // 2.5 writes
  CHECK(w.writes() == 2);
  w.advance(0.05);  // 0.5 + 0.5
  CHECK(w.writes() == 3);
  w.set_throttle(0.5);
  CHECK(w.throttle() == 0.5);
  w.advance(1.0);  // 5 more
  CHECK(w.writes() == 8);
  CHECK_THROWS_AS(w.set_throttle(0), std::invalid_argument);
  CHECK_THROWS_AS(w.set_throttle(1.5), std::invalid_argument);
}

TEST_CASE("workload: the real-time thread writes until stopped", "[memory]") {
  GuestMemory m(64);
  DirtyBitmap d(64);
  Workload w(m, d, {.dirty_pages_per_second = 20000});
  w.start_real_time();
  CHECK(w.running());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  w.stop();
  CHECK_FALSE(w.running());
  const auto n = w.writes();
  CHECK(n > 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(w.writes() == n);
}
