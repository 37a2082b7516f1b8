#include "refimpl/transfer/transfer_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <utility>

#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/memory/workload.hpp"
#include "refimpl/transfer/bench_stats.hpp"
#include "refimpl/transfer/page_sender.hpp"
#include "refimpl/transport/in_process_channel.hpp"
#include "refimpl/transport/target_runtime.hpp"

namespace lmc::ref {
namespace {

using steady = std::chrono::steady_clock;

constexpr double kSparseFraction = 0.02;
constexpr double kDenseFraction = 0.5;

std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// One measured run of a case: seconds, and what it brought over.
struct Run {
  double seconds = 0;
  std::size_t pages = 0;
  std::uint64_t wire_bytes = 0;
  bool verified = false;
};

/// The state the cases share: one source, one dirty log, one target.
class Bench {
 public:
  explicit Bench(const LoopBenchOptions& o)
      : options_(o), source_(o.pages), dirty_(o.pages), channel_(target_, o.streams) {
    Workload(source_, dirty_, {.pattern = Pattern::uniform, .seed = o.seed}).fill_initial();
    fresh_target();
  }

  Run memcpy_run(bool fresh);
  Run loop_run(const std::string& loop, bool fresh, double fraction, int run);
  void refill_zero_heavy() {
    WorkloadSpec spec{.pattern = Pattern::zero_heavy, .zero_fraction = 0.9, .seed = options_.seed};
    Workload(source_, dirty_, spec).fill_initial();
  }

 private:
  void fresh_target();
  std::byte* target_bytes() { return target_.memory()->data(); }
  void prepare(bool fresh, double fraction, int run);
  PassStats run_loop(const std::string& loop);
  bool target_matches() const { return target_.memory()->digest() == source_.digest(); }

  const LoopBenchOptions& options_;
  GuestMemory source_;
  DirtyBitmap dirty_;
  TargetRuntime target_;
  InProcessChannel channel_;
  bool warm_ = false;  ///< the target was written since it was allocated
};

void Bench::fresh_target() {
  target_.handle({Control::release, 0, {}});
  const Reply r = target_.handle({Control::allocate, options_.pages, {}});
  if (!r.ok) throw std::runtime_error("bench: target allocation failed: " + r.error);
  warm_ = false;
}

/// Sets up one run. Warm: the target is touched and differs from the source
/// exactly in the dirty pages. Fresh: the target was just allocated (as in
/// a migration's first pass) and every page is dirty.
void Bench::prepare(bool fresh, double fraction, int run) {
  dirty_.clear_all();
  if (fresh) {
    fresh_target();
    dirty_.mark_all();
    return;
  }
  if (fraction >= 1.0) {
    std::memset(target_bytes(), 0, source_.bytes());  // every page differs
    warm_ = true;
    dirty_.mark_all();
    return;
  }
  std::memcpy(target_bytes(), source_.data(), source_.bytes());
  warm_ = true;
  // The guest rewrites one word of a `fraction` share of the pages.
  const std::uint64_t salt = mix(options_.seed + static_cast<std::uint64_t>(run) * 7919);
  const auto threshold = static_cast<std::uint64_t>(fraction * 0x1.0p64);
  for (std::size_t p = 0; p < source_.pages(); ++p) {
    const std::uint64_t draw = mix(salt ^ p);
    if (draw >= threshold) continue;
    const std::uint64_t word = draw | 1;
    std::memcpy(source_.page(p).data() + (draw % 512) * 8, &word, 8);
    dirty_.mark(p);
  }
}

PassStats Bench::run_loop(const std::string& loop) {
  if (loop == "naive") return send_dirty_naive(source_, dirty_, channel_);
  TransferOptions t;
  t.streams = options_.streams;
  t.codec = options_.codec;
  PageSender sender(source_, dirty_, channel_, t);  // a new sender: a first (bulk) pass
  return sender.send_dirty();
}

Run Bench::memcpy_run(bool fresh) {
  if (fresh) {
    fresh_target();
  } else if (!warm_) {
    std::memcpy(target_bytes(), source_.data(), source_.bytes());  // touch it once
    warm_ = true;
  }
  const auto start = steady::now();
  std::memcpy(target_bytes(), source_.data(), source_.bytes());
  const double s = std::chrono::duration<double>(steady::now() - start).count();
  warm_ = true;  // the copy touched every page
  return {s, source_.pages(), source_.bytes(), target_matches()};
}

Run Bench::loop_run(const std::string& loop, bool fresh, double fraction, int run) {
  prepare(fresh, fraction, run);
  const std::size_t dirty = dirty_.count();
  const PassStats stats = run_loop(loop);
  return {stats.seconds, dirty, stats.wire_bytes, stats.pages == dirty && target_matches()};
}

struct Case {
  LoopResult result;
  std::function<Run(int run)> run;
  std::vector<Run> runs{};
};

/// Measures `cases` `repeat` times, interleaved; the first case is the
/// memcpy every ratio of the same run is against.
void measure_interleaved(std::vector<Case>& cases, int repeat) {
  for (int r = 0; r < repeat; ++r) {
    for (auto& c : cases) c.runs.push_back(c.run(r));
  }
  for (auto& c : cases) {
    auto& out = c.result;
    out.verified = true;
    for (std::size_t r = 0; r < c.runs.size(); ++r) {
      const auto& run = c.runs[r];
      const double bytes = static_cast<double>(run.pages * kPageSize);
      out.gbps_runs.push_back(bytes / run.seconds / 1e9);
      out.ratio_runs.push_back(0);  // once the baseline's runs are known
      out.verified = out.verified && run.verified;
      out.pages = run.pages;
      out.wire_bytes = run.wire_bytes;
    }
  }
  const auto& base = cases.front().result.gbps_runs;
  for (auto& c : cases) {
    auto& out = c.result;
    for (std::size_t r = 0; r < out.gbps_runs.size(); ++r) {
      out.ratio_runs[r] = out.gbps_runs[r] / base[r];
    }
    const auto gbps = spread_of(out.gbps_runs);
    out.gbps = gbps.median;
    out.seconds = static_cast<double>(out.pages * kPageSize) / (gbps.median * 1e9);
    out.ratio_to_memcpy = spread_of(out.ratio_runs).median;
  }
}

}  // namespace

std::vector<LoopResult> run_loop_bench(const LoopBenchOptions& options,
                                       const std::function<void(const LoopResult&)>& on_result) {
  if (options.pages == 0 || options.repeat < 1) throw std::invalid_argument("bench: empty run");
  Bench bench(options);
  std::vector<LoopResult> results;
  const auto report = [&](std::vector<Case>& cases, bool skip_first) {
    for (std::size_t i = skip_first ? 1 : 0; i < cases.size(); ++i) {
      results.push_back(cases[i].result);
      if (on_result) on_result(results.back());
    }
  };
  const auto memcpy_case = [&](const char* name, bool fresh) {
    return Case{{name, "memcpy", fresh ? "fresh" : "warm"},
                [&bench, fresh](int) { return bench.memcpy_run(fresh); }};
  };
  const auto loop_case = [&](const char* name, const char* loop, bool fresh, double fraction) {
    return Case{{name, loop, fresh ? "fresh" : "warm"}, [&bench, loop, fresh, fraction](int run) {
                  return bench.loop_run(loop, fresh, fraction, run);
                }};
  };
  std::vector<Case> cases{memcpy_case("memcpy", false), memcpy_case("memcpy_fresh", true)};
  for (const auto& [name, fraction] :
       {std::pair{"first_pass", 1.0}, {"sparse", kSparseFraction}, {"dense", kDenseFraction}}) {
    for (const char* loop : {"naive", "optimized"}) {
      cases.push_back(loop_case(name, loop, false, fraction));
    }
  }
  measure_interleaved(cases, options.repeat);
  report(cases, false);
  // Zero-heavy memory needs other source contents: a group of its own, with
  // a memcpy of its own in every run as the ratios' baseline.
  bench.refill_zero_heavy();
  std::vector<Case> zero_heavy{memcpy_case("memcpy", false)};
  for (const char* loop : {"naive", "optimized"}) {
    zero_heavy.push_back(loop_case("zero_heavy", loop, true, 1.0));
  }
  measure_interleaved(zero_heavy, options.repeat);
  report(zero_heavy, true);
  return results;
}

}  // namespace lmc::ref
