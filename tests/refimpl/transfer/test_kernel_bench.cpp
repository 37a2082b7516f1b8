// The benchmark's own arithmetic: medians and ranges, and that every kernel
// is measured once per run with a ratio against its baseline of that run.

#include <catch2/catch.hpp>

#include "refimpl/transfer/bench_stats.hpp"
#include "refimpl/transfer/kernel_bench.hpp"

namespace lmc::ref {

TEST_CASE("Spread: the median of odd and even counts and the range", "[bench]") {
  const auto odd = spread_of({5, 1, 3});
  CHECK(odd.median == 3);
  CHECK(odd.low == 1);
  CHECK(odd.high == 5);
  const auto even = spread_of({4, 1, 3, 2});
  CHECK(even.median == 2.5);
  CHECK(even.low == 1);
  CHECK(even.high == 4);
  CHECK(spread_of({}).median == 0);
}

TEST_CASE("Kernel bench: every kernel once per run, ratios against the same run's baseline",
          "[bench]") {
  const auto results = run_kernel_bench({256, 3});
  REQUIRE(results.size() == 8);
  for (const auto& k : results) {
    INFO(k.kernel << " " << k.chunk_pages);
    CHECK(k.gbps.size() == 3);
    CHECK(k.ratio.size() == (k.baseline.empty() ? 0u : 3u));
    for (const double g : k.gbps) CHECK(g > 0);
    if (k.baseline.empty()) continue;
    const auto& base = *std::find_if(results.begin(), results.end(), [&](const auto& b) {
      return b.kernel == k.baseline && b.chunk_pages == k.chunk_pages;
    });
    for (std::size_t r = 0; r < 3; ++r) CHECK(k.ratio[r] == Approx(k.gbps[r] / base.gbps[r]));
  }
}

}  // namespace lmc::ref
