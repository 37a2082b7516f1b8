// The page kernels alone, each next to memcpy of the same bytes (Google
// Benchmark): what `lmc bench transfer` cannot separate from the senders.
//
//   build/tests/lmc_bench_kernels --benchmark_repetitions=9
//     --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
// (one command line)
//
// gives the median and the range (min, max) of interleaved repeats. Every
// copy walks a 256 MiB region, so it runs at memory speed, as the transfer
// loop's first pass does, not from cache.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

#include "refimpl/core/compression.hpp"
#include "refimpl/core/delta_codec.hpp"
#include "refimpl/core/frame.hpp"
#include "refimpl/core/page_ops.hpp"

namespace {

using lmc::ref::kPageSize;
constexpr std::size_t kRegionPages = 256 * 1024 * 1024 / kPageSize;

/// A page-aligned buffer of `pages` pages plus one spare page, so that a
/// source can start `offset` bytes into it.
struct Region {
  explicit Region(std::size_t pages) : storage((pages + 2) * kPageSize), pages(pages) {
    auto address = reinterpret_cast<std::uintptr_t>(storage.data());
    base = storage.data() + (kPageSize - address % kPageSize) % kPageSize;
    std::mt19937_64 random(1);
    for (std::size_t i = 0; i + 8 <= (pages + 1) * kPageSize; i += 8) {
      const auto word = random();
      std::memcpy(base + i, &word, 8);
    }
  }
  std::vector<std::byte> storage;
  std::byte* base = nullptr;
  std::size_t pages;
};

Region& source_region() {
  static Region region(kRegionPages);
  return region;
}
Region& target_region() {
  static Region region(kRegionPages);
  return region;
}

/// Copies state.range(0) pages per iteration, walking the regions; the
/// source starts state.range(1) bytes past a page boundary.
template <class Copy>
void walk_copy(benchmark::State& state, Copy copy) {
  const auto pages = static_cast<std::size_t>(state.range(0));
  const auto offset = static_cast<std::size_t>(state.range(1));
  auto& src = source_region();
  auto& dst = target_region();
  std::size_t at = 0;
  for (auto _ : state) {
    if (at + pages > kRegionPages) at = 0;
    copy(dst.base + at * kPageSize, src.base + at * kPageSize + offset, pages);
    benchmark::ClobberMemory();
    at += pages;
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(pages * kPageSize));
}

void BM_copy_pages(benchmark::State& state) {
  walk_copy(state,
            [](std::byte* d, const std::byte* s, std::size_t n) { lmc::ref::copy_pages(d, s, n); });
}
void BM_memcpy(benchmark::State& state) {
  walk_copy(state, [](std::byte* d, const std::byte* s, std::size_t n) {
    std::memcpy(d, s, n * kPageSize);
  });
}

void copy_arguments(benchmark::internal::Benchmark* b) {
  b->ArgNames({"pages", "src_offset"});
  for (int pages : {1, 4, 64}) {
    for (int offset : {0, 64}) b->Args({pages, offset});
  }
}

void with_range(benchmark::internal::Benchmark* b) {
  b->ComputeStatistics(
      "min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
  b->ComputeStatistics(
      "max", [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); });
}

/// A zero page is the zero check's worst case: every word is read.
void BM_is_zero_page(benchmark::State& state) {
  std::vector<std::byte> page(kPageSize);
  for (auto _ : state) {
    benchmark::DoNotOptimize(page.data());
    benchmark::DoNotOptimize(lmc::ref::is_zero_page(page.data()));
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kPageSize));
}
void BM_memcmp_zero_page(benchmark::State& state) {  // the baseline: compare with a zero page
  std::vector<std::byte> page(kPageSize), zero(kPageSize);
  for (auto _ : state) {
    benchmark::DoNotOptimize(page.data());
    benchmark::DoNotOptimize(std::memcmp(page.data(), zero.data(), kPageSize) == 0);
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kPageSize));
}

/// A page whose guest rewrote state.range(0) cache lines since it was sent.
struct DeltaPages {
  explicit DeltaPages(int lines) : before(kPageSize), now(kPageSize), out(2 * kPageSize) {
    std::mt19937_64 random(2);
    for (auto& b : before) b = std::byte(random() & 0xff);
    now = before;
    for (int l = 0; l < lines; ++l)
      now[std::size_t(l) * 64 * (64 / std::max(lines, 1))] ^= std::byte{1};
  }
  std::vector<std::byte> before, now, out;
};

void BM_encode_delta(benchmark::State& state) {
  DeltaPages pages(int(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(lmc::ref::encode_delta(pages.before, pages.now, pages.out));
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kPageSize));
}
void BM_apply_delta(benchmark::State& state) {
  DeltaPages pages(int(state.range(0)));
  const auto size = *lmc::ref::encode_delta(pages.before, pages.now, pages.out);
  const std::span<const std::byte> encoded(pages.out.data(), size);
  auto page = pages.before;
  for (auto _ : state) {
    // Applying twice restores the page: the XOR delta is its own inverse.
    benchmark::DoNotOptimize(lmc::ref::apply_delta(page, encoded));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kPageSize));
}
void BM_memcpy_page(benchmark::State& state) {  // the baseline of both: one page, in cache
  std::vector<std::byte> from(kPageSize, std::byte{7}), to(kPageSize);
  for (auto _ : state) {
    std::memcpy(to.data(), from.data(), kPageSize);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kPageSize));
}

/// A page of text-like data (words from a small vocabulary): compressible,
/// as guest pages of program data often are.
std::vector<std::byte> text_page() {
  static const char* words[] = {"cluster ", "manager ", "VM2000 ", "BS2000 ", "migration ",
                                "SU ",      "MU ",      "ISL-E ",  "page ",   "round "};
  std::mt19937_64 random(3);
  std::vector<std::byte> page;
  while (page.size() < kPageSize) {
    for (const char* c = words[random() % 10]; *c && page.size() < kPageSize; ++c) {
      page.push_back(std::byte(*c));
    }
  }
  return page;
}

void BM_compress_page(benchmark::State& state) {
  const auto codec = static_cast<lmc::ref::Codec>(state.range(0));
  lmc::ref::Compressor compressor(codec);
  const auto page = text_page();
  std::vector<std::byte> out(lmc::ref::Compressor::bound(codec, kPageSize));
  std::size_t packed = 0;
  for (auto _ : state) {
    const auto size = compressor.compress(page, out);
    packed = size.value_or(kPageSize);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["ratio"] = double(kPageSize) / double(packed);
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kPageSize));
}
void BM_decompress_page(benchmark::State& state) {
  const auto codec = static_cast<lmc::ref::Codec>(state.range(0));
  lmc::ref::Compressor compressor(codec);
  const auto page = text_page();
  std::vector<std::byte> packed(lmc::ref::Compressor::bound(codec, kPageSize)), out(kPageSize);
  const auto size = *compressor.compress(page, packed);
  for (auto _ : state) {
    benchmark::DoNotOptimize(lmc::ref::decompress(codec, std::span(packed.data(), size), out));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kPageSize));
}
void codec_arguments(benchmark::internal::Benchmark* b) {
  b->ArgName("codec");
  b->Arg(static_cast<int>(lmc::ref::Codec::lz4));
  b->Arg(static_cast<int>(lmc::ref::Codec::zstd));
}

}  // namespace

BENCHMARK(BM_copy_pages)->Apply(copy_arguments)->Apply(with_range);
BENCHMARK(BM_memcpy)->Apply(copy_arguments)->Apply(with_range);
BENCHMARK(BM_is_zero_page)->Apply(with_range);
BENCHMARK(BM_memcmp_zero_page)->Apply(with_range);
BENCHMARK(BM_encode_delta)->ArgName("lines")->Arg(1)->Arg(8)->Apply(with_range);
BENCHMARK(BM_apply_delta)->ArgName("lines")->Arg(1)->Arg(8)->Apply(with_range);
BENCHMARK(BM_memcpy_page)->Apply(with_range);
BENCHMARK(BM_compress_page)->Apply(codec_arguments)->Apply(with_range);
BENCHMARK(BM_decompress_page)->Apply(codec_arguments)->Apply(with_range);

int main(int argc, char** argv) {
  benchmark::AddCustomContext(
      "memcpy_stores",
      "glibc's memcpy switches to streaming stores only above its non-temporal threshold "
      "(about 3/4 of the shared cache per thread, MiBs): at 1, 4 and 64 pages it uses ordinary "
      "stores, copy_pages streaming ones");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
