#pragma once
// `lmc bench transfer`, first part: the page-transfer loop against memcpy, on
// the same source memory and the same target runtime. Each case prepares the
// dirty log and the target, times one pass, and checks byte for byte (by
// XXH3-128 digest) that the target then equals the source.
//
// GB/s is bytes of dirty pages brought up to date per second (10^9 bytes).
// The repeats are interleaved (run r measures every case once, memcpy
// first), each ratio is against the memcpy of the same run, and a case
// reports the median and the range of its runs.

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
  std::string case_name;            ///< memcpy, memcpy_fresh, first_pass, sparse, dense, zero_heavy
  std::string loop;                 ///< memcpy, naive, optimized
  std::string target;               ///< "warm" (touched before) or "fresh" (just allocated)
  std::size_t pages = 0;            ///< dirty pages the pass brought over (in the last run)
  double seconds = 0;               ///< the median run
  double gbps = 0;                  ///< the median run's
  double ratio_to_memcpy = 0;       ///< the median of the runs' gbps / that run's warm memcpy
  std::vector<double> gbps_runs{};  ///< per run, in order
  std::vector<double> ratio_runs{};  ///< per run, in order
  std::uint64_t wire_bytes = 0;
  bool verified = false;  ///< the target equals the source after every run
};

/// Runs every case; `on_result` sees each once all its runs are measured.
std::vector<LoopResult> run_loop_bench(const LoopBenchOptions& options,
                                       const std::function<void(const LoopResult&)>& on_result);

}  // namespace lmc::ref
