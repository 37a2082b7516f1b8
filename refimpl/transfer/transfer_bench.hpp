#pragma once
// `lmc bench transfer`, first part: the page-transfer loop against memcpy, on
// the same source memory and the same target runtime. Each case prepares the
// dirty log and the target, times one pass, and checks byte for byte (by
// XXH3-128 digest) that the target then equals the source.
//
// GB/s is bytes of dirty pages brought up to date per second (10^9 bytes);
// the best of `repeat` runs is kept (least disturbed by other processes).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "refimpl/core/frame.hpp"

namespace lmc::ref {

struct LoopBenchOptions {
  std::size_t pages = 262144;  ///< 1 GiB
  int repeat = 3;
  int streams = 1;  ///< of the optimized loop
  Codec codec = Codec::none;
  std::uint64_t seed = 1;
};

struct LoopResult {
  std::string case_name;  ///< memcpy, memcpy_fresh, first_pass, sparse, dense, zero_heavy
  std::string loop;       ///< memcpy, naive, optimized
  std::string target;     ///< "warm" (touched before) or "fresh" (just allocated)
  std::size_t pages = 0;  ///< dirty pages the pass brought over
  double seconds = 0;     ///< the best run
  double gbps = 0;
  double ratio_to_memcpy = 0;  ///< gbps / the warm memcpy's gbps
  std::uint64_t wire_bytes = 0;
  bool verified = false;  ///< the target equals the source after every run
};

/// Runs every case; `on_result` sees each as soon as it is measured.
std::vector<LoopResult> run_loop_bench(const LoopBenchOptions& options,
                                       const std::function<void(const LoopResult&)>& on_result);

}  // namespace lmc::ref
