#include "refimpl/transfer/transfer_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/memory/workload.hpp"
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

/// The state the cases share: one source, one dirty log, one target.
class Bench {
 public:
  explicit Bench(const LoopBenchOptions& o)
      : options_(o), source_(o.pages), dirty_(o.pages), channel_(target_, o.streams) {
    Workload(source_, dirty_, {.pattern = Pattern::uniform, .seed = o.seed}).fill_initial();
    fresh_target();
  }

  LoopResult memcpy_case(bool fresh);
  LoopResult loop_case(const std::string& name, const std::string& loop, bool fresh,
                       double fraction);
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
};

void Bench::fresh_target() {
  target_.handle({Control::release, 0, {}});
  const Reply r = target_.handle({Control::allocate, options_.pages, {}});
  if (!r.ok) throw std::runtime_error("bench: target allocation failed: " + r.error);
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
    dirty_.mark_all();
    return;
  }
  std::memcpy(target_bytes(), source_.data(), source_.bytes());
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

LoopResult Bench::memcpy_case(bool fresh) {
  LoopResult r{fresh ? "memcpy_fresh" : "memcpy", "memcpy", fresh ? "fresh" : "warm"};
  r.pages = source_.pages();
  r.verified = true;
  if (!fresh) std::memcpy(target_bytes(), source_.data(), source_.bytes());  // touch it once
  for (int run = 0; run < options_.repeat; ++run) {
    if (fresh) fresh_target();
    const auto start = steady::now();
    std::memcpy(target_bytes(), source_.data(), source_.bytes());
    const double s = std::chrono::duration<double>(steady::now() - start).count();
    if (run == 0 || s < r.seconds) r.seconds = s;
    r.verified = r.verified && target_matches();
  }
  r.wire_bytes = source_.bytes();
  r.gbps = static_cast<double>(source_.bytes()) / r.seconds / 1e9;
  return r;
}

LoopResult Bench::loop_case(const std::string& name, const std::string& loop, bool fresh,
                            double fraction) {
  LoopResult r{name, loop, fresh ? "fresh" : "warm"};
  r.verified = true;
  for (int run = 0; run < options_.repeat; ++run) {
    prepare(fresh, fraction, run);
    const std::size_t dirty = dirty_.count();
    const PassStats stats = run_loop(loop);
    r.verified = r.verified && stats.pages == dirty && target_matches();
    if (run == 0 || stats.seconds < r.seconds) {
      r.seconds = stats.seconds;
      r.pages = dirty;
      r.wire_bytes = stats.wire_bytes;
    }
  }
  r.gbps = static_cast<double>(r.pages * kPageSize) / r.seconds / 1e9;
  return r;
}

}  // namespace

std::vector<LoopResult> run_loop_bench(const LoopBenchOptions& options,
                                       const std::function<void(const LoopResult&)>& on_result) {
  if (options.pages == 0 || options.repeat < 1) throw std::invalid_argument("bench: empty run");
  Bench bench(options);
  std::vector<LoopResult> results;
  auto add = [&](LoopResult r) {
    if (!results.empty()) r.ratio_to_memcpy = r.gbps / results.front().gbps;
    if (results.empty()) r.ratio_to_memcpy = 1.0;
    results.push_back(r);
    if (on_result) on_result(results.back());
  };
  add(bench.memcpy_case(false));
  add(bench.memcpy_case(true));
  struct Case {
    const char* name;
    bool fresh;
    double fraction;
  };
  for (const Case c : {Case{"first_pass", false, 1.0}, Case{"sparse", false, kSparseFraction},
                       Case{"dense", false, kDenseFraction}}) {
    for (const char* loop : {"naive", "optimized"})
      add(bench.loop_case(c.name, loop, c.fresh, c.fraction));
  }
  bench.refill_zero_heavy();
  for (const char* loop : {"naive", "optimized"})
    add(bench.loop_case("zero_heavy", loop, true, 1.0));
  return results;
}

}  // namespace lmc::ref
