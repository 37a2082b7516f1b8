#pragma once
// `lmc bench transfer`, the kernels alone: copy_pages in chunks of 1, 4 and
// 64 pages and is_zero_page, each over the same page-aligned 1 GiB source
// and warm target as memcpy of the same chunks (and memcmp against a zero
// page), with the repeats interleaved: run r measures every kernel once, so
// each ratio compares two measurements taken moments apart. The senders
// (frames, the channel, the target applying them) are measured separately
// by transfer_bench.hpp; this part says whether the hand-written kernels
// themselves keep up with the C library.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "refimpl/transfer/bench_stats.hpp"

namespace lmc::ref {

struct KernelBenchOptions {
  std::size_t pages = 262144;  ///< 1 GiB
  int repeat = 5;
};

struct KernelResult {
  std::string kernel;           ///< copy_pages, memcpy, is_zero_page, memcmp_zero
  std::size_t chunk_pages = 0;  ///< pages per call
  std::string baseline;         ///< the kernel its ratio is against ("" for a baseline)
  std::vector<double> gbps{};   ///< per repeat, 10^9 bytes per second
  std::vector<double> ratio{};  ///< per repeat: gbps / the baseline's in the same repeat
  Spread gbps_spread() const { return spread_of(gbps); }
  Spread ratio_spread() const { return spread_of(ratio); }
};

std::vector<KernelResult> run_kernel_bench(const KernelBenchOptions& options);

}  // namespace lmc::ref
