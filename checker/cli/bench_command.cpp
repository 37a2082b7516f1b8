// `lmc bench transfer`: the data plane's page-transfer loop against memcpy and
// a naive loop, then pre-copy on the link model next to the analytical model.
// spec/refimpl/transfer.md explains the cases and records measured numbers.

#include <fmt/core.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "checker/cli/commands.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/review/plot.hpp"
#include "refimpl/transfer/bench_stats.hpp"
#include "refimpl/transfer/kernel_bench.hpp"
#include "refimpl/transfer/link_model.hpp"
#include "refimpl/transfer/precopy_grid.hpp"
#include "refimpl/transfer/transfer_bench.hpp"

namespace lmc::cli {
namespace {

struct BenchArgs {
  std::string size = "1GiB";
  int repeat = 5;
  int streams = 1;
  std::string codec = "none";
  std::string json_file;
  std::string grid_json_file;
  std::string plot_file;
  bool no_grid = false;
  bool grid_only = false;
  bool grid_real_time = false;
  std::uint64_t seed = 1;
};

/// "64MiB", "1GiB", "4096" (bytes); nullopt unless a positive whole number of pages.
std::optional<std::size_t> parse_size(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 12) return std::nullopt;
  const std::string unit = text.substr(digits);
  std::size_t scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  if (unit == "KiB") scale = std::size_t{1} << 10;
  if (unit == "MiB") scale = std::size_t{1} << 20;
  if (unit == "GiB") scale = std::size_t{1} << 30;
  if (scale == 0) return std::nullopt;
  const std::size_t bytes = std::stoull(text.substr(0, digits)) * scale;
  if (bytes == 0 || bytes % ref::kPageSize != 0 || bytes > (std::size_t{1} << 40)) {
    return std::nullopt;
  }
  return bytes / ref::kPageSize;
}

std::optional<ref::Codec> parse_codec(const std::string& text) {
  if (text == "none") return ref::Codec::none;
  if (text == "lz4") return ref::Codec::lz4;
  if (text == "zstd") return ref::Codec::zstd;
  return std::nullopt;
}

std::string mib(std::size_t bytes) {
  return fmt::format("{} MiB", bytes >> 20);
}

/// glibc's memcpy switches to streaming stores above this many bytes (its
/// tunable glibc.cpu.x86_non_temporal_threshold, asked from the dynamic
/// loader); nullopt where it cannot be asked.
std::optional<std::uint64_t> memcpy_non_temporal_threshold() {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      ::popen("/lib64/ld-linux-x86-64.so.2 --list-tunables 2>/dev/null", "r"), ::pclose);
  if (!pipe) return std::nullopt;
  char line[256];
  const std::string key = "glibc.cpu.x86_non_temporal_threshold: ";
  while (std::fgets(line, sizeof line, pipe.get())) {
    const std::string text = line;
    if (!text.starts_with(key)) continue;
    try {
      return std::stoull(text.substr(key.size()), nullptr, 16);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// "12.34 (11.9-12.6)": the median and the range of the runs.
std::string median_range(const ref::Spread& s, int precision = 2) {
  return fmt::format("{:.{}f} ({:.{}f}-{:.{}f})", s.median, precision, s.low, precision, s.high,
                     precision);
}

void print_memcpy_note(std::size_t whole_bytes) {
  const auto threshold = memcpy_non_temporal_threshold();
  if (!threshold) {
    fmt::print("note: glibc's non-temporal threshold for memcpy is unknown here\n");
    return;
  }
  fmt::print(
      "note: glibc's memcpy uses streaming (non-temporal) stores above {} MiB "
      "(glibc.cpu.x86_non_temporal_threshold): memcpy of the whole {} uses {} stores, memcpy of "
      "1 to 64 pages ordinary ones; copy_pages always streams\n",
      *threshold >> 20, mib(whole_bytes), whole_bytes > *threshold ? "streaming" : "ordinary");
}

void run_kernels(const BenchArgs& a, std::size_t pages, nlohmann::json& json) {
  fmt::print("Kernels alone, {} ({} pages), median (range) of {} interleaved runs\n",
             mib(pages * ref::kPageSize), pages, a.repeat);
  fmt::print("{:<13} {:>6} {:>22} {:>24}\n", "kernel", "pages", "GB/s", "x baseline");
  const auto results = ref::run_kernel_bench({pages, a.repeat});
  for (const auto& k : results) {
    const auto ratio = k.baseline.empty() ? std::string("baseline")
                                          : median_range(k.ratio_spread()) + " " + k.baseline;
    fmt::print("{:<13} {:>6} {:>22} {:>24}\n", k.kernel, k.chunk_pages,
               median_range(k.gbps_spread()), ratio);
    const auto g = k.gbps_spread();
    const auto r = k.ratio_spread();
    json.push_back({{"case", "kernel"},
                    {"loop", k.kernel},
                    {"chunk_pages", k.chunk_pages},
                    {"baseline", k.baseline},
                    {"gbps", g.median},
                    {"gbps_low", g.low},
                    {"gbps_high", g.high},
                    {"ratio", k.baseline.empty() ? 1.0 : r.median},
                    {"ratio_low", k.baseline.empty() ? 1.0 : r.low},
                    {"ratio_high", k.baseline.empty() ? 1.0 : r.high},
                    {"runs", k.gbps.size()}});
  }
  std::fflush(stdout);
}

bool run_loops(const BenchArgs& a, std::size_t pages, ref::Codec codec, nlohmann::json& json) {
  fmt::print(
      "\nSenders (frames, channel, target), {} ({} pages), median (range) of {} interleaved "
      "runs, each against the memcpy of its run; optimized loop: {} stream(s), codec {}\n",
      mib(pages * ref::kPageSize), pages, a.repeat, a.streams, a.codec);
  fmt::print("{:<13} {:<10} {:<6} {:>22} {:>18} {:>8} {:>12} {}\n", "case", "loop", "target",
             "GB/s", "x memcpy", "pages", "wire bytes", "target==source");
  bool all_verified = true;
  const ref::LoopBenchOptions options{pages, a.repeat, a.streams, codec, a.seed};
  ref::run_loop_bench(options, [&](const ref::LoopResult& r) {
    const auto g = ref::spread_of(r.gbps_runs);
    const auto x = ref::spread_of(r.ratio_runs);
    fmt::print("{:<13} {:<10} {:<6} {:>22} {:>18} {:>8} {:>12} {}\n", r.case_name, r.loop, r.target,
               median_range(g), median_range(x), r.pages, r.wire_bytes, r.verified ? "yes" : "NO");
    std::fflush(stdout);
    all_verified = all_verified && r.verified;
    json.push_back({{"case", r.case_name},
                    {"loop", r.loop},
                    {"gbps", g.median},
                    {"gbps_low", g.low},
                    {"gbps_high", g.high},
                    {"ratio_to_memcpy", x.median},
                    {"ratio_low", x.low},
                    {"ratio_high", x.high},
                    {"runs", r.gbps_runs.size()},
                    {"target", r.target},
                    {"pages", r.pages},
                    {"seconds", r.seconds},
                    {"wire_bytes", r.wire_bytes},
                    {"verified", r.verified}});
  });
  print_memcpy_note(pages * ref::kPageSize);
  return all_verified;
}

double error_percent(double measured, double model) {
  return model > 0 ? 100.0 * (measured - model) / model : 0.0;
}

void print_cell(const ref::GridCell& c) {
  const bool completed = c.outcome == "completed";
  std::string line =
      fmt::format("{:>9} {:>4.0f}G {:>6.0f} {:>6.3f} {:<15} {:>3} {:>8.2f} {:>8} {:>14}",
                  mib(c.memory_bytes), c.link_bits_per_second / 1e9, c.dirty_bytes_per_second / 1e6,
                  c.model.lambda, c.outcome, c.rounds, c.total_seconds,
                  completed ? fmt::format("{:.3f}", c.downtime_seconds) : "-", c.bytes_sent);
  if (c.model.converges) {
    line += fmt::format("   {:>3} {:>8.2f} {:>8.3f} {:>14.0f}", c.model.rounds,
                        c.model.total_seconds, c.model.downtime_seconds, c.model.total_bytes);
    line += completed
                ? fmt::format("  {:>+6.1f}% {:>+6.1f}%",
                              error_percent(c.total_seconds, c.model.total_seconds),
                              error_percent(static_cast<double>(c.bytes_sent), c.model.total_bytes))
                : fmt::format("  {:>7} {:>7}", "-", "-");
  } else {
    line += fmt::format("   {:<58}", "model: no convergence (lambda >= 1 or a policy limit)");
  }
  line += completed ? (c.verified ? " yes" : " NO") : " -";
  fmt::print("{}\n", line);
}

nlohmann::json cell_json(const ref::GridCell& c) {
  return {{"memory_bytes", c.memory_bytes},
          {"link_bits_per_second", c.link_bits_per_second},
          {"dirty_bytes_per_second", c.dirty_bytes_per_second},
          {"lambda", c.model.lambda},
          {"outcome", c.outcome},
          {"rounds", c.rounds},
          {"total_seconds", c.total_seconds},
          {"downtime_seconds", c.downtime_seconds},
          {"bytes_sent", c.bytes_sent},
          {"verified", c.verified},
          {"model",
           {{"converges", c.model.converges},
            {"rounds", c.model.rounds},
            {"total_seconds", c.model.total_seconds},
            {"downtime_seconds", c.model.downtime_seconds},
            {"total_bytes", c.model.total_bytes}}}};
}

bool run_grid(const BenchArgs& a, std::size_t pages, nlohmann::json& json) {
  ref::GridOptions o;
  o.memory_pages = {std::max<std::size_t>(pages / 4, 1), pages};
  o.dirty_bytes_per_second = {25e6, 50e6, 75e6, 100e6, 400e6};
  o.link_bits_per_second = {ref::kIsl1Gbit, ref::kIsl10Gbit};
  o.real_time = a.grid_real_time;
  o.seed = a.seed;
  fmt::print(
      "\nPre-copy on the link model ({} clock; guest: sequential sweep at a constant rate; "
      "SU /390 policy: downtime target {} s, at most {} rounds or {}x memory)\n",
      a.grid_real_time ? "real" : "virtual", o.policy.downtime_target_seconds, o.policy.max_rounds,
      o.policy.max_sent_factor);
  fmt::print(
      "{:>9} {:>5} {:>6} {:>6} {:<15} {:>3} {:>8} {:>8} {:>14}   {:>3} {:>8} {:>8} {:>14}  "
      "{:>7} {:>7} {}\n",
      "memory", "link", "MB/s", "lambda", "outcome", "rds", "total s", "down s", "bytes sent", "n",
      "model s", "model dn", "model bytes", "time", "bytes", "target==source");
  bool all_verified = true;
  ref::run_precopy_grid(o, [&](const ref::GridCell& c) {
    print_cell(c);
    std::fflush(stdout);
    if (c.outcome == "completed") all_verified = all_verified && c.verified;
    json.push_back(cell_json(c));
  });
  return all_verified;
}

/// `--plot`: the loop cases as ratios to memcpy on the same buffers, and
/// the copy kernel against memcpy at 1, 4 and 64 pages, each bar with the
/// range of the repeats.
std::string transfer_plot(const nlohmann::json& entries, const BenchArgs& a) {
  review::PlotPanel loops{"Page-transfer loops against memcpy of the same bytes (median, range)",
                          "x memcpy",
                          {},
                          {},
                          1.0,
                          "memcpy"};
  review::PlotSeries optimized{"optimized loop", {}, {}, {}, "#1f77b4", false};
  review::PlotSeries naive{"naive loop", {}, {}, {}, "#ff7f0e", false};
  review::PlotPanel kernels{
      "Copy kernel against memcpy (median, range)", "GB/s", {}, {}, std::nullopt, ""};
  review::PlotSeries copy{"copy_pages", {}, {}, {}, "#1f77b4", false};
  review::PlotSeries memcpy_series{"memcpy", {}, {}, {}, "#7b8794", false};
  auto add = [](review::PlotSeries& s, const nlohmann::json& e, const char* value, const char* low,
                const char* high) {
    s.values.push_back(e.value(value, 0.0));
    s.low.push_back(e.value(low, 0.0));
    s.high.push_back(e.value(high, 0.0));
  };
  for (const auto& e : entries) {
    const auto kase = e.value("case", std::string());
    const auto loop = e.value("loop", std::string());
    if (kase == "kernel") {
      const auto label = fmt::format("{} page{}", e.value("chunk_pages", 0),
                                     e.value("chunk_pages", 0) == 1 ? "" : "s");
      if (loop == "memcpy") {
        kernels.categories.push_back(label);
        add(memcpy_series, e, "gbps", "gbps_low", "gbps_high");
      } else if (loop == "copy_pages") {
        add(copy, e, "gbps", "gbps_low", "gbps_high");
      }
      continue;
    }
    if (loop == "optimized") {
      loops.categories.push_back(kase);
      add(optimized, e, "ratio_to_memcpy", "ratio_low", "ratio_high");
    } else if (loop == "naive") {
      add(naive, e, "ratio_to_memcpy", "ratio_low", "ratio_high");
    }
  }
  loops.series = {optimized, naive};
  kernels.series = {copy, memcpy_series};
  return review::svg_of_plot(
      fmt::format("lmc bench transfer --size {}: {} interleaved repeats", a.size, a.repeat),
      {loops, kernels});
}

int run_bench_transfer(const BenchArgs& a) {
  const auto pages = parse_size(a.size);
  if (!pages) {
    fmt::print(stderr,
               "lmc bench transfer: error: --size {}: expected a whole number of 4 KiB pages "
               "such as 64MiB or 1GiB (at most 1 TiB)\n",
               a.size);
    return kExitBadInput;
  }
  const auto codec = parse_codec(a.codec);
  if (!codec) {
    fmt::print(stderr, "lmc bench transfer: error: --codec {}: expected none, lz4 or zstd\n",
               a.codec);
    return kExitBadInput;
  }
  nlohmann::json loops = nlohmann::json::array();
  nlohmann::json grid = nlohmann::json::array();
  bool ok = true;
  try {
    if (!a.grid_only) {
      run_kernels(a, *pages, loops);
      ok = run_loops(a, *pages, *codec, loops) && ok;
    }
    if (!a.no_grid) ok = run_grid(a, *pages, grid) && ok;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr,
               "lmc bench transfer: error: cannot allocate the benchmark's memory (--size {} "
               "needs about 2.25 times that: a source, a target and zero pages); try a smaller "
               "--size\n",
               a.size);
    return kExitBadInput;
  }
  if (!a.json_file.empty() &&
      !write_output_file(a.json_file, versioned_json("lmc-bench-transfer", 1, loops),
                         "bench transfer", "--json")) {
    return kExitBadInput;
  }
  if (!a.plot_file.empty() && !a.grid_only &&
      !write_output_file(a.plot_file, transfer_plot(loops, a), "bench transfer", "--plot")) {
    return kExitBadInput;
  }
  if (!a.grid_json_file.empty() &&
      !write_output_file(a.grid_json_file, versioned_json("lmc-bench-grid", 1, grid),
                         "bench transfer", "--grid-json")) {
    return kExitBadInput;
  }
  if (!ok) fmt::print(stderr, "lmc bench transfer: error: the target differs from the source\n");
  return ok ? 0 : 1;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
  auto* bench = app.add_subcommand(
      "bench",
      "Benchmarks: the reference implementation's page-transfer loop (transfer) and the "
      "checker against SPIN (check). Not part of the checks.");
  bench->require_subcommand(1);
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = bench->add_subcommand(
      "transfer",
      "Measure the copy and zero-page kernels alone against memcpy and memcmp, then the "
      "page-transfer loop against memcpy and a naive loop (first pass, sparse, "
      "dense and zero-heavy dirty memory), then run pre-copy on the link model over a grid of "
      "memory size x dirty rate x link speed next to the analytical model. Every run checks "
      "that the target's memory equals the source's.\n"
      "Exit codes: 0 done, 1 a target differed from its source, 2 bad usage.");
  cmd->add_option("--size", args->size, "Guest memory, e.g. 64MiB or 1GiB (default 1GiB)");
  cmd->add_option("--repeat", args->repeat,
                  "Runs of every kernel and loop case, interleaved; the median and the range are "
                  "printed (default 5)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--streams", args->streams, "Streams (threads) of the optimized loop (default 1)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--codec", args->codec, "Compression in the optimized loop: none, lz4, zstd");
  cmd->add_option("--json", args->json_file,
                  "Write the kernels and the loop cases as JSON: one entry per case and loop "
                  "with case (\"kernel\" for the kernels), loop, gbps, gbps_low, gbps_high, "
                  "ratio_to_memcpy (ratio for kernels), ratio_low, ratio_high, runs")
      ->check(detail::writable_file());
  cmd->add_option("--grid-json", args->grid_json_file, "Write the pre-copy grid as JSON")
      ->check(detail::writable_file());
  cmd->add_option("--plot", args->plot_file,
                  "Plot the loop cases (ratio to memcpy) and the copy kernel (GB/s against "
                  "memcpy) as SVG, each bar with the range of the repeats")
      ->check(detail::writable_file());
  auto* no_grid = cmd->add_flag("--no-grid", args->no_grid, "Only the loop cases");
  cmd->add_flag("--grid-only", args->grid_only, "Only the pre-copy grid")->excludes(no_grid);
  cmd->add_flag("--grid-real-time", args->grid_real_time,
                "Run the grid on the real clock (the link sleeps; slow: seconds per cell)");
  cmd->add_option("--seed", args->seed, "Seed of the memory contents and the guest (default 1)")
      ->check(detail::count_of<std::uint64_t>());
  cmd->callback([args, &exit_code] { exit_code = run_bench_transfer(*args); });
  add_bench_check_command(*bench, exit_code);
}

}  // namespace lmc::cli
