#include "refimpl/transfer/kernel_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "refimpl/core/frame.hpp"
#include "refimpl/core/page_ops.hpp"
#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/memory/workload.hpp"

namespace lmc::ref {
namespace {

using steady = std::chrono::steady_clock;

/// One pass of a kernel over the whole buffer; returns its seconds.
using Pass = std::function<void()>;

double time_pass(const Pass& pass) {
  const auto start = steady::now();
  pass();
  return std::chrono::duration<double>(steady::now() - start).count();
}

}  // namespace

std::vector<KernelResult> run_kernel_bench(const KernelBenchOptions& options) {
  if (options.pages == 0 || options.repeat < 1) throw std::invalid_argument("bench: empty run");
  GuestMemory source(options.pages);
  GuestMemory target(options.pages);
  DirtyBitmap unused(options.pages);
  Workload(source, unused, {.pattern = Pattern::uniform, .seed = 1}).fill_initial();
  std::memcpy(target.data(), source.data(), source.bytes());  // warm: every page touched
  const std::size_t pages = options.pages;
  const std::byte* src = source.data();
  std::byte* dst = target.data();
  static const std::byte zero_page[kPageSize] = {};

  struct Kernel {
    KernelResult result;
    Pass pass;
  };
  std::vector<Kernel> kernels;
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{4}, std::size_t{64}}) {
    const std::size_t bytes = chunk * kPageSize;
    kernels.push_back({{"memcpy", chunk, ""}, [=] {
                         for (std::size_t p = 0; p + chunk <= pages; p += chunk) {
                           std::memcpy(dst + p * kPageSize, src + p * kPageSize, bytes);
                         }
                       }});
    kernels.push_back({{"copy_pages", chunk, "memcpy"}, [=] {
                         for (std::size_t p = 0; p + chunk <= pages; p += chunk) {
                           copy_pages(dst + p * kPageSize, src + p * kPageSize, chunk);
                         }
                       }});
  }
  // A data page is told apart at its first word; the test is on zero pages,
  // where both must read all 4 KiB.
  // A quarter of the size, scanned four times: still far beyond the caches,
  // and a quarter of the memory (the bench should fit where the LM does).
  const std::size_t zero_pages = std::max<std::size_t>(pages / 4, 1);
  GuestMemory zeros(zero_pages);
  std::memset(zeros.data(), 0, zeros.bytes());  // resident: untouched memory maps one zero page
  const std::byte* z = zeros.data();
  volatile std::size_t sink = 0;
  kernels.push_back({{"memcmp_zero", 1, ""}, [=, &sink] {
                       std::size_t n = 0;
                       for (std::size_t p = 0; p < pages; ++p) {
                         n +=
                             std::memcmp(z + p % zero_pages * kPageSize, zero_page, kPageSize) == 0;
                       }
                       sink = n;
                     }});
  kernels.push_back({{"is_zero_page", 1, "memcmp_zero"}, [=, &sink] {
                       std::size_t n = 0;
                       for (std::size_t p = 0; p < pages; ++p) {
                         n += is_zero_page(z + p % zero_pages * kPageSize);
                       }
                       sink = n;
                     }});

  const double bytes = static_cast<double>(source.bytes());
  for (int run = 0; run < options.repeat; ++run) {
    for (auto& k : kernels) k.result.gbps.push_back(bytes / time_pass(k.pass) / 1e9);
    for (auto& k : kernels) {
      if (k.result.baseline.empty()) continue;
      for (const auto& base : kernels) {
        if (base.result.kernel == k.result.baseline &&
            base.result.chunk_pages == k.result.chunk_pages) {
          k.result.ratio.push_back(k.result.gbps.back() / base.result.gbps.back());
        }
      }
    }
  }
  if (std::memcmp(dst, src, source.bytes()) != 0) {
    throw std::runtime_error("bench: copy_pages left the target different from the source");
  }
  std::vector<KernelResult> results;
  for (auto& k : kernels) results.push_back(std::move(k.result));
  return results;
}

}  // namespace lmc::ref
