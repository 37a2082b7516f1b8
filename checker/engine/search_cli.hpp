#pragma once
// The search's command line, for `lmc check` and for any model written
// outside this tree (header-only; needs CLI11, which the lmc::cli target of
// find_package(lmc) brings):
//
//   int main(int argc, char** argv) { return lmc::run_cli(MyModel{}, argc, argv); }
//
// gives MyModel the strategies, thread counts, storage modes, bounds, text,
// JSON and DOT reports and exit codes of `lmc check` (0 all hold, 1 violated,
// 2 bad usage, 3 incomplete).

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include "checker/engine/check.hpp"
#include "checker/engine/checkpoint.hpp"
#include "checker/engine/options.hpp"
#include "checker/engine/report.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/user_text.hpp"

namespace lmc {

struct SearchCliArgs {
  std::string strategy = "bfs";
  std::string storage = "packed";
  SearchOptions options;
  bool no_deadlock = false;
  bool no_liveness = false;
  bool witnesses = false;
  bool quiet = false;
  bool list_properties = false;
  std::string json_file;
  std::string dot_file;
  std::string junit_file;
  std::string sarif_file;
  /// The tool's version in the SARIF report (the program that embeds the engine sets it).
  std::string tool_version = "unknown";
};

namespace detail {

/// The whole of `text` as a finite number, or nullopt (not a number, trailing
/// characters, NaN, an infinity).
inline std::optional<double> finite_number(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

/// A number of seconds: finite, from 0 to `max` (CLI11's Range lets NaN
/// through, since every comparison with NaN is false).
inline CLI::Validator seconds_up_to(double max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        const auto value = finite_number(text);
        if (!value || *value < 0 || *value > max) {
          return fmt::format("expected seconds from 0 to {:g}, got '{}'", max, shortened(text));
        }
        return {};
      },
      fmt::format("SECONDS in [0, {:g}]", max));
}

/// A finite number from `min` to `max`, or exactly 0 when `zero_means` names
/// what 0 stands for ("uncapped"); NaN, infinities and denormals are refused.
inline CLI::Validator finite_in(double min, double max, const std::string& zero_means = "") {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        const auto value = finite_number(text);
        if (value && *value == 0 && !zero_means.empty()) return {};
        if (!value || *value < min || *value > max) {
          return fmt::format("expected a number from {:g} to {:g}{}, got '{}'", min, max,
                             zero_means.empty() ? "" : ", or 0 (" + zero_means + ")",
                             shortened(text));
        }
        return {};
      },
      fmt::format("in [{:g}, {:g}]", min, max));
}

/// A whole number from 0 to the largest T: an unsigned option would
/// otherwise take "-1" as its largest value, and CLI11 saturates a number
/// too large for T to T's maximum without a word.
template <typename T>
CLI::Validator count_of() {
  static_assert(std::is_unsigned_v<T>);
  return CLI::Validator(
      [](std::string& text) -> std::string {
        T value = 0;
        const auto* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || stop != end) {
          return fmt::format("expected a whole number from 0 to {}, got '{}'",
                             std::numeric_limits<T>::max(), shortened(text));
        }
        return {};
      },
      "");
}

/// What stands in the way of writing a report to `path`, or "" when nothing
/// does. Checked when the options are parsed, so that a path that cannot be
/// written is reported before a long run rather than after it (whose exit
/// code 2 would then hide the verdict). A path that does not exist yet is
/// created and removed again: only that answers for every file system.
inline std::string output_path_problem(const std::string& path) {
  const int created = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (created >= 0) {
    ::close(created);
    ::unlink(path.c_str());
    return {};
  }
  if (errno != EEXIST) return std::strerror(errno);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::strerror(errno);
  if (S_ISDIR(info.st_mode)) return "it is a directory";
  if (!S_ISREG(info.st_mode)) {
    // /dev/null, /dev/stdout, a FIFO a reader will open: opening it now
    // could block or consume it, so only the permission is asked.
    return ::access(path.c_str(), W_OK) == 0 ? "" : std::strerror(errno);
  }
  const int existing = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (existing < 0) return std::strerror(errno);
  ::close(existing);
  return {};
}

/// An output file option: the path must be writable (output_path_problem).
inline CLI::Validator writable_file() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        const auto problem = output_path_problem(path);
        return problem.empty() ? "" : fmt::format("cannot write '{}': {}", path, problem);
      },
      "FILE");
}

/// An output directory option: created now if missing (the run would
/// create it anyway), and it must take new files.
inline CLI::Validator writable_directory() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        std::error_code error;
        std::filesystem::create_directories(path, error);
        if (error)
          return fmt::format("cannot create the directory '{}': {}", path, error.message());
        if (!std::filesystem::is_directory(path)) {
          return fmt::format("'{}' is not a directory", path);
        }
        if (::access(path.c_str(), W_OK | X_OK) != 0) {
          return fmt::format("cannot write in '{}': {}", path, std::strerror(errno));
        }
        return {};
      },
      "DIR");
}

}  // namespace detail

/// The options every check has; `symmetry_help` empty: no --symmetry.
inline void add_search_options(CLI::App& cmd, SearchCliArgs& args,
                               const std::string& symmetry_help = "") {
  cmd.add_flag("--list-properties", args.list_properties,
               "List the model's properties: name, kind, domain rule IDs");
  cmd.add_option("--strategy,-s", args.strategy,
                 "bfs: breadth-first, shortest counterexamples, multi-threaded; "
                 "dfs: depth-first, one thread; simulation: seeded random walks (never proves)")
      ->check(CLI::IsMember({"bfs", "dfs", "simulation"}))
      ->capture_default_str();
  cmd.add_option("--threads,-t", args.options.threads,
                 "Threads for bfs; counts and verdicts are the same for any number")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd.add_option("--storage", args.storage,
                 "packed: whole states in the model's bit-packed encoding (exact for models "
                 "without one); exact: whole State objects; both never merge two states; "
                 "fingerprint: 64-bit fingerprints (less memory, prints the estimated "
                 "probability of a missed state)")
      ->check(CLI::IsMember({"packed", "exact", "fingerprint"}))
      ->capture_default_str();
  if (!symmetry_help.empty()) cmd.add_flag("--symmetry", args.options.symmetry, symmetry_help);
  cmd.add_option("--max-states", args.options.max_states,
                 "Stop after this many states (checked between bfs levels); result incomplete. "
                 "0: no bound (the default)")
      ->check(detail::count_of<std::uint64_t>());
  cmd.add_option("--max-depth", args.options.max_depth,
                 "Do not expand states deeper than this; result incomplete if any exist. 0: no "
                 "bound (the default)")
      ->check(detail::count_of<std::uint32_t>());
  cmd.add_option("--time-limit", args.options.time_limit_seconds,
                 "Stop after this many seconds; result incomplete. 0: no limit (the default)")
      ->check(detail::seconds_up_to(1e7));
  cmd.add_flag("--no-deadlock", args.no_deadlock, "Do not report states without successors");
  cmd.add_flag("--no-liveness", args.no_liveness,
               "Skip liveness properties (they keep the explored graph in memory)");
  cmd.add_option("--walks", args.options.walks, "simulation: number of walks")
      ->check(detail::count_of<std::uint64_t>())
      ->capture_default_str();
  cmd.add_option("--walk-depth", args.options.walk_depth, "simulation: steps per walk")
      ->check(detail::count_of<std::uint32_t>())
      ->capture_default_str();
  cmd.add_option("--seed", args.options.seed, "simulation: random seed")
      ->check(detail::count_of<std::uint64_t>())
      ->capture_default_str();
  cmd.add_option("--json", args.json_file,
                 "Write the result as JSON: result, states, transitions, max_depth, seconds, "
                 "states_per_second, bytes_per_state, threads, strategy, storage, symmetry, "
                 "properties (each with its failure: safety, deadlock, liveness, "
                 "unreached_goal or null), coverage, counterexamples (format lmc-check, "
                 "version 1: spec/schemas/)")
      ->check(detail::writable_file());
  cmd.add_option("--dot", args.dot_file, "Write the counterexample as a Graphviz DOT file")
      ->check(detail::writable_file());
  cmd.add_option("--junit", args.junit_file,
                 "Write JUnit XML: one test case per property (failed, passed, or skipped when "
                 "undecided), for CI test reports")
      ->check(detail::writable_file());
  cmd.add_option("--sarif", args.sarif_file,
                 "Write SARIF 2.1.0: one rule per property, one result per failing property "
                 "with its counterexample as a code flow, for CI code-scanning views")
      ->check(detail::writable_file());
  cmd.add_flag("--continue", args.options.continue_after_violation,
               "bfs: search on after a violation, so that every property gets its own shortest "
               "counterexample (one early violation does not hide the others)");
  cmd.add_option("--checkpoint", args.options.checkpoint_dir,
                 "bfs: write a checkpoint to DIR between levels (every --checkpoint-interval "
                 "seconds, when a bound stops the search, and on SIGINT/SIGTERM, which then "
                 "stop it); --resume DIR continues it. Needs --no-liveness")
      ->check(detail::writable_directory());
  cmd.add_option("--checkpoint-interval", args.options.checkpoint_interval_seconds,
                 "Seconds between checkpoints (0: after every level)")
      ->check(detail::seconds_up_to(1e7))
      ->capture_default_str();
  cmd.add_option("--resume", args.options.resume_dir,
                 "bfs: continue the search whose checkpoint is in DIR (the same model and "
                 "options; bounds may differ); counts and verdicts are those of an "
                 "uninterrupted run");
  cmd.add_flag("--witnesses", args.witnesses, "Also print the traces of reached goals");
  cmd.add_option("--progress", args.options.progress_interval_seconds,
                 "Seconds between progress lines on stderr (0: none)")
      ->check(detail::seconds_up_to(86400))
      ->capture_default_str();
  cmd.add_flag("--quiet,-q", args.quiet, "Print only the result line; no progress");
}

/// Turns the parsed words into SearchOptions; notes what does not apply.
inline void apply_search_options(SearchCliArgs& args, const std::string& program) {
  args.options.strategy = *parse_strategy(args.strategy);
  args.options.storage = *parse_storage(args.storage);
  args.options.check_deadlock = !args.no_deadlock;
  args.options.check_liveness = !args.no_liveness;
  if (args.quiet) args.options.progress_interval_seconds = 0;
  if (args.options.strategy != Strategy::bfs &&
      (!args.options.checkpoint_dir.empty() || !args.options.resume_dir.empty())) {
    fmt::print(stderr, "{}: note: --checkpoint and --resume apply to bfs only; ignored\n", program);
    args.options.checkpoint_dir.clear();
    args.options.resume_dir.clear();
  }
  if (args.options.strategy != Strategy::bfs && args.options.continue_after_violation) {
    fmt::print(stderr,
               "{}: note: --continue applies to bfs only; stopping at the first violation\n",
               program);
    args.options.continue_after_violation = false;
  }
  if (args.options.strategy != Strategy::bfs && args.options.threads > 1) {
    fmt::print(stderr, "{}: note: --threads applies to bfs only; running on one thread\n", program);
    args.options.threads = 1;
  }
}

namespace detail {

inline bool open_output(const std::string& path, std::ofstream& out, const char* option,
                        const std::string& program) {
  out.open(path);
  if (out) return true;
  fmt::print(stderr, "{}: error: {} {}: cannot open the file for writing\n", program, option, path);
  return false;
}

}  // namespace detail

/// The text report (or only the result line), --json and --dot; the exit code.
inline int write_check_reports(const SearchCliArgs& args, const CheckResult& result,
                               const std::string& program) {
  if (!args.quiet) {
    write_text_report(std::cout, result, {args.witnesses});
  } else {
    fmt::print("result: {}\n", to_string(result.verdict));
  }
  if (!args.json_file.empty()) {
    std::ofstream out;
    if (!detail::open_output(args.json_file, out, "--json", program)) return kExitBadInput;
    out << result_to_json(result).dump(2) << "\n";
  }
  if (!args.junit_file.empty()) {
    std::ofstream out;
    if (!detail::open_output(args.junit_file, out, "--junit", program)) return kExitBadInput;
    write_junit(out, result);
  }
  if (!args.sarif_file.empty()) {
    std::ofstream out;
    if (!detail::open_output(args.sarif_file, out, "--sarif", program)) return kExitBadInput;
    write_sarif(out, result, args.tool_version, result.model);
  }
  if (!args.dot_file.empty()) {
    const auto* failure = first_failure(result);
    if (failure == nullptr || !failure->trace) {
      fmt::print(stderr, "{}: note: no counterexample, so no DOT file was written\n", program);
    } else {
      std::ofstream out;
      if (!detail::open_output(args.dot_file, out, "--dot", program)) return kExitBadInput;
      write_trace_dot(out, *failure->trace, result.model + ": " + failure->name);
    }
  }
  return exit_code(result.verdict);
}

/// `lmc check`'s command line for one model: parses argv, checks, reports.
template <Model M>
int run_cli(const M& model, int argc, char** argv) {
  const std::string program = argc > 0 ? argv[0] : model_name(model);
  CLI::App app("Check the model " + model_name(model) +
               " with the lmc engine.\nExit codes: 0 all hold, 1 violated, 2 bad usage or "
               "input, 3 incomplete.");
  SearchCliArgs args;
  add_search_options(app, args);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kExitBadInput;
  }
  if (args.list_properties) {
    for (const auto& p : properties_of(model)) {
      fmt::print("{} {} {}\n", p.name, to_string(p.kind), p.ids.empty() ? "-" : p.ids);
    }
    return 0;
  }
  apply_search_options(args, program);
  try {
    return write_check_reports(args, check(model, args.options), program);
  } catch (const CheckpointError& e) {
    fmt::print(stderr, "{}: error: {}\n", program, e.what());
    return kExitBadInput;
  }
}

}  // namespace lmc
