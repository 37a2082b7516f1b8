// `lmc bench check`: lmc against SPIN on the same cluster presets in one run.
// Each lmc run is a fresh `lmc check` process, so that its peak RSS is its own;
// SPIN runs through scripts/spin-states.sh on the Promela encoding of the same
// preset (spec/promela/cluster_default.pml). Speed is only comparable within
// one run on a shared machine, hence the ratios.

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "checker/cli/commands.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_cli.hpp"

namespace lmc::cli {
namespace {

/// Where scripts/spin-states.sh, spec/promela/ and examples/scale/ are: the
/// source tree the binary was built in (build/lmc: one folder up), or the
/// prefix it was installed to (bin/lmc: share/lmc), found from the binary's
/// own path rather than a path compiled in, so a moved binary still finds them.
std::string default_data_dir() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return ".";
  const auto dir = exe.parent_path();
  for (const auto& candidate : {dir.parent_path(), dir.parent_path() / "share" / "lmc"}) {
    if (std::filesystem::exists(candidate / "scripts" / "spin-states.sh"))
      return candidate.string();
  }
  return ".";
}

struct BenchCheckArgs {
  std::vector<std::string> presets{"default"};
  std::vector<int> threads{1, 2};
  std::string storage = "packed";
  std::string source_dir = default_data_dir();
  std::string json_file;
  bool collapse = true;
  int repeat = 3;
};

struct Measurement {
  std::string preset;
  std::string tool;     ///< "lmc" or "spin"
  std::string variant;  ///< lmc: storage; spin: "plain" or "collapse"
  int threads = 1;
  std::uint64_t states = 0;
  double seconds = 0;
  double states_per_second = 0;
  double bytes_per_state = 0;
  double peak_rss_mb = 0;
  int runs = 1;  ///< the row is the median of this many runs
};

/// One of the runs a preset gets: lmc with some threads, or pan.
struct Tool {
  std::string tool;
  int threads = 1;
  bool collapse = false;
};

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs `command` with the shell; returns its standard output, or nullopt
/// when it fails.
std::optional<std::string> capture(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return std::nullopt;
  std::string out;
  std::array<char, 4096> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) {
    out.append(buffer.data(), n);
  }
  if (pclose(pipe.release()) != 0) return std::nullopt;
  return out;
}

/// The last non-empty line of a file, or "" (the reason a script gave).
std::string last_line_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

std::string self_path() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string("lmc") : path.string();
}

/// A scale preset lives in examples/scale/NAME.json of the source tree (too
/// large to be built in: the golden tests run every built-in preset).
std::optional<std::filesystem::path> scale_preset(const BenchCheckArgs& a,
                                                  const std::string& preset) {
  auto path = std::filesystem::path(a.source_dir) / "examples" / "scale" / (preset + ".json");
  if (std::filesystem::exists(path)) return path;
  return std::nullopt;
}

/// "x86-local" -> "X86_LOCAL", the encoding's -DPRESET name.
std::string promela_preset(const std::string& preset) {
  std::string macro;
  for (char c : preset) macro += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return macro;
}

/// A figure of a report, or 0 where the report has none: a run too fast for
/// its clock (pan prints 0 seconds for a small preset) has no rate, null in
/// its JSON.
double number(const nlohmann::json& j, const char* key) {
  const auto found = j.find(key);
  return found != j.end() && found->is_number() ? found->get<double>() : 0.0;
}

std::optional<Measurement> run_lmc(const BenchCheckArgs& a, const std::string& preset, int threads,
                                   std::string& error) {
  const auto json =
      std::filesystem::temp_directory_path() / fmt::format("lmc-bench-check-{}.json", ::getpid());
  const auto scale = scale_preset(a, preset);
  const auto selection =
      scale ? "--config " + quoted(scale->string()) : "--preset " + quoted(preset);
  const auto command = fmt::format(
      "{} check {} --threads {} --storage {} --no-liveness -q --json {} >/dev/null",
      quoted(self_path()), selection, threads, quoted(a.storage), quoted(json.string()));
  if (!capture(command)) {
    error =
        fmt::format("lmc check --preset {} failed (is the preset known and does it hold?)", preset);
    return std::nullopt;
  }
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  std::filesystem::remove(json);
  if (j.is_discarded()) {
    error = "cannot read lmc check's JSON report";
    return std::nullopt;
  }
  return Measurement{preset,
                     "lmc",
                     a.storage,
                     threads,
                     j.at("states").get<std::uint64_t>(),
                     number(j, "seconds"),
                     number(j, "states_per_second"),
                     number(j, "bytes_per_state"),
                     number(j, "peak_rss_mb")};
}

std::optional<Measurement> run_spin(const BenchCheckArgs& a, const std::string& preset,
                                    bool collapse, std::string& error) {
  const auto script = std::filesystem::path(a.source_dir) / "scripts" / "spin-states.sh";
  const auto pml = std::filesystem::path(a.source_dir) / "spec" / "promela" / "cluster_default.pml";
  // Tens of millions of states need a larger hash table than pan's default
  // 2^24 slots, or its chains grow long and the comparison would be unfair.
  const int hash_bits = scale_preset(a, preset) ? 27 : 24;
  const auto log =
      std::filesystem::temp_directory_path() / fmt::format("lmc-bench-spin-{}.log", ::getpid());
  const auto command =
      fmt::format("SPIN_STATES_HASH={} bash {} --stats {}{} -DPRESET={} 2>{}", hash_bits,
                  quoted(script.string()), collapse ? "--collapse " : "", quoted(pml.string()),
                  promela_preset(preset), quoted(log.string()));
  const auto out = capture(command);
  const auto why = last_line_of(log);
  std::filesystem::remove(log);
  const auto j = out ? nlohmann::json::parse(*out, nullptr, false) : nlohmann::json();
  if (!out || j.is_discarded() || !j.contains("states")) {
    error = fmt::format("SPIN{} on {} -DPRESET={} failed: {}", collapse ? " -DCOLLAPSE" : "",
                        pml.string(), promela_preset(preset),
                        why.empty() ? "spin and gcc installed? an encoding of this preset?" : why);
    return std::nullopt;
  }
  // pan reports the memory it allocated (hash table and stack included); it
  // runs as a grandchild of the script, so this is its own account.
  return Measurement{preset,
                     "spin",
                     collapse ? "collapse" : "plain",
                     1,
                     j.at("states").get<std::uint64_t>(),
                     number(j, "seconds"),
                     number(j, "states_per_second"),
                     number(j, "bytes_per_state"),
                     number(j, "memory_mb")};
}

void print_row(const Measurement& m) {
  fmt::print("{:<13} {:<5} {:<9} {:>3} {:>11} {:>9.3f} {:>12.0f} {:>9.1f} {:>9.0f} {:>4}\n",
             m.preset, m.tool, m.variant, m.threads, m.states, m.seconds, m.states_per_second,
             m.bytes_per_state, m.peak_rss_mb, m.runs);
}

const Measurement* find(const std::vector<Measurement>& all, const std::string& tool,
                        const std::string& variant, int threads) {
  for (const auto& m : all) {
    if (m.tool == tool && m.variant == variant && m.threads == threads) return &m;
  }
  return nullptr;
}

/// The ratios the issue asks for: lmc 1 thread vs pan, bytes vs pan
/// -DCOLLAPSE, 2 threads vs 1.
void print_ratios(const std::vector<Measurement>& rows, const std::string& storage) {
  const auto* lmc1 = find(rows, "lmc", storage, 1);
  const auto* lmc2 = find(rows, "lmc", storage, 2);
  const auto* spin = find(rows, "spin", "plain", 1);
  const auto* collapse = find(rows, "spin", "collapse", 1);
  // A rate of 0 is a run too fast to time: its ratio is not printed as a number.
  const auto ratio = [](double a, double b, const char* unit) {
    return a > 0 && b > 0 ? fmt::format("{:.2f}{}", a / b, unit)
                          : std::string("n/a (a run too fast to time)");
  };
  if (lmc1 && spin) {
    fmt::print("  lmc 1 thread / pan states per second: {}\n",
               ratio(lmc1->states_per_second, spin->states_per_second, "x"));
  }
  if (lmc1 && collapse) {
    fmt::print("  lmc bytes per state / pan -DCOLLAPSE: {}\n",
               ratio(lmc1->bytes_per_state, collapse->bytes_per_state, ""));
  }
  if (lmc1 && lmc2) {
    fmt::print("  lmc 2 threads / 1 thread: {}\n",
               ratio(lmc2->states_per_second, lmc1->states_per_second, "x"));
  }
}

nlohmann::json to_json(const Measurement& m) {
  return {{"preset", m.preset},
          {"tool", m.tool},
          {"variant", m.variant},
          {"threads", m.threads},
          {"states", m.states},
          {"seconds", m.seconds},
          {"states_per_second", m.states_per_second},
          {"bytes_per_state", m.bytes_per_state},
          {"peak_rss_mb", m.peak_rss_mb},
          {"runs", m.runs}};
}

std::vector<Tool> tools_of(const BenchCheckArgs& a) {
  std::vector<Tool> tools;
  for (const int threads : a.threads) tools.push_back({"lmc", threads, false});
  tools.push_back({"spin", 1, false});
  if (a.collapse) tools.push_back({"spin", 1, true});
  return tools;
}

/// The run of median speed among `runs` (the lower one of the middle two).
Measurement median_of(std::vector<Measurement> runs) {
  std::sort(runs.begin(), runs.end(), [](const Measurement& x, const Measurement& y) {
    return x.states_per_second < y.states_per_second;
  });
  auto median = runs[(runs.size() - 1) / 2];
  median.runs = static_cast<int>(runs.size());
  return median;
}

/// Measures one preset; false when a run failed or the counts differ.
/// Rounds run every tool once, so a slow spell of a shared machine falls on
/// all of them rather than on one.
bool bench_preset(const BenchCheckArgs& a, const std::string& preset, nlohmann::json& json) {
  const auto tools = tools_of(a);
  std::vector<std::vector<Measurement>> samples(tools.size());
  std::vector<char> failed(tools.size(), 0);
  bool ok = true;
  for (int round = 0; round < a.repeat; ++round) {
    for (std::size_t t = 0; t < tools.size(); ++t) {
      if (failed[t]) continue;
      std::string error;
      const auto m = tools[t].tool == "lmc" ? run_lmc(a, preset, tools[t].threads, error)
                                            : run_spin(a, preset, tools[t].collapse, error);
      if (m) {
        samples[t].push_back(*m);
        continue;
      }
      fmt::print(stderr, "lmc bench check: error: {}\n", error);
      failed[t] = 1;
      ok = false;
    }
  }
  std::vector<Measurement> rows;
  for (const auto& runs : samples) {
    if (!runs.empty()) rows.push_back(median_of(runs));
  }
  for (const auto& m : rows) {
    print_row(m);
    json.push_back(to_json(m));
    if (m.states != rows.front().states) {
      fmt::print(stderr, "lmc bench check: error: {}: {} {} stores {} states, {} stores {}\n",
                 preset, m.tool, m.variant, m.states, rows.front().tool, rows.front().states);
      ok = false;
    }
  }
  print_ratios(rows, a.storage);
  return ok;
}

int run_bench_check(const BenchCheckArgs& a) {
  fmt::print("{:<13} {:<5} {:<9} {:>3} {:>11} {:>9} {:>12} {:>9} {:>9} {:>4}\n", "preset", "tool",
             "variant", "thr", "states", "seconds", "states/s", "B/state", "peak MiB", "runs");
  nlohmann::json json = nlohmann::json::array();
  bool ok = true;
  for (const auto& preset : a.presets) ok = bench_preset(a, preset, json) && ok;
  if (!a.json_file.empty() &&
      !write_output_file(a.json_file, versioned_json("lmc-bench-check", 1, json), "bench check",
                         "--json")) {
    return kExitBadInput;
  }
  return ok ? 0 : 1;
}

}  // namespace

void add_bench_check_command(CLI::App& bench, int& exit_code) {
  auto args = std::make_shared<BenchCheckArgs>();
  auto* cmd = bench.add_subcommand(
      "check",
      "Run lmc check (fresh process per run, --no-liveness, since pan checks safety only) and "
      "SPIN's pan (-O2 -DSAFETY -DNOREDUCE, and with -DCOLLAPSE) on the Promela encoding of the "
      "same cluster presets, in one run; print states, states/s, bytes/state, peak memory and "
      "the ratios. Each tool runs --repeat times, in rounds; a row is its run of median speed. "
      "The state counts must agree.\n"
      "Exit codes: 0 done and the counts agree, 1 a run failed or the counts differ, 2 bad "
      "usage.");
  cmd->add_option("--preset", args->presets,
                  "Presets with a Promela encoding: default, x86-local, x86-native, two-vms, "
                  "recovery, and the scale presets of examples/scale/: scale-faults, scale-x86, "
                  "scale-two-vms (minutes each; repeatable)")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "lmc thread counts (repeatable)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--storage", args->storage,
                  "lmc storage: packed (the default of lmc check), exact or fingerprint")
      ->check(CLI::IsMember({"packed", "exact", "fingerprint"}))
      ->capture_default_str();
  cmd->add_option("--source-dir", args->source_dir,
                  "Where scripts/spin-states.sh, spec/promela/ and examples/scale/ are (default: "
                  "the source tree or install prefix next to the binary)")
      ->capture_default_str();
  cmd->add_flag("!--no-collapse", args->collapse, "Skip the pan -DCOLLAPSE run");
  cmd->add_option("--repeat", args->repeat,
                  "Runs of each tool per preset, in rounds (every tool once per round); each "
                  "row is the run of median speed (a shared machine's speed drifts)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--json", args->json_file,
                  "Write one entry per preset and tool run: preset, tool, variant, threads, "
                  "states, seconds, states_per_second, bytes_per_state, peak_rss_mb, runs (the "
                  "row is the median of that many)")
      ->check(detail::writable_file());
  cmd->callback([args, &exit_code] { exit_code = run_bench_check(*args); });
}

}  // namespace lmc::cli
