// lmc migrate: one Live Migration on the reference implementation, with real
// memory, a guest writing it, and the page-transfer loop over an in-process
// channel or TCP to a target process.

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "checker/cli/commands.hpp"
#include "checker/cli/interrupts.hpp"
#include "checker/cli/migrate_chart.hpp"
#include "checker/cli/migrate_report.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/traces/trace_file.hpp"
#include "refimpl/cluster/crd.hpp"
#include "refimpl/lm/live_migration.hpp"
#include "refimpl/lm/source_check.hpp"
#include "refimpl/transport/in_process_channel.hpp"
#include "refimpl/transport/target_process.hpp"
#include "refimpl/transport/target_runtime.hpp"
#include "refimpl/transport/tcp_channel.hpp"

namespace lmc::cli {
namespace {

struct MigrateArgs {
  ClusterSelection cluster;
  std::string vm;
  std::string target;
  std::string transport = "inproc";
  std::vector<std::string> faults;
  std::size_t unit_mib = 64;
  double dirty_rate = 20000;
  std::string pattern = "uniform";
  double link_gbit = 10;
  std::string compression = "none";
  bool delta = false;
  int streams = 1;
  double downtime_ms = 300;
  bool virtual_clock = false;
  std::uint64_t seed = 1;
  std::string monjv_file;
  std::string json_file;
  std::string source;
  std::string crd_dir;
  std::string record_file;
  std::string svg_file;
  std::string plot_file;
  bool recreate_crd = false;
  bool quiet = false;
};

std::string su_names(const cluster::Config& c) {
  std::string names;
  for (const auto& su : c.sus) names += (names.empty() ? "" : ", ") + su.name;
  return names;
}

/// The VM: --vm (on --source when the name is defined on more than one SU,
/// D1), else the first RUNNING VM the scope lets the operator migrate.
int pick_vm(const cluster::Config& c, const std::string& name, const std::string& source,
            std::string& error) {
  if (!name.empty()) {
    int su = -1;
    for (int s = 0; s < static_cast<int>(c.sus.size()); ++s) {
      if (c.sus[s].name == source) su = s;
    }
    if (!source.empty() && su < 0) {
      error = fmt::format("--source {}: no such SU (SUs: {})", source, su_names(c));
      return -1;
    }
    if (su < 0 && c.vms_named(name) > 1) {
      error = fmt::format("--vm {}: defined on more than one SU; name the one with --source", name);
      return -1;
    }
    const int v = su >= 0 ? c.find_vm(name, su) : c.vm_index_by_name(name);
    if (v < 0) error = fmt::format("--vm {}: no such VM in {}", name, c.name);
    return v;
  }
  for (int v = 0; v < static_cast<int>(c.vms.size()); ++v) {
    if (c.vms[v].state == cluster::VmState::running && !c.vms[v].monitor_system) return v;
  }
  error = fmt::format("--vm: {} has no RUNNING VM; name one", c.name);
  return -1;
}

/// The target: --target, else the other SU of the cluster of `owner`, the
/// SU the VM belongs to now (an earlier run's CRD may have moved it).
int pick_target(const cluster::Config& c, int owner, const std::string& name, std::string& error) {
  if (name.empty()) {
    const auto partner = c.partner_of(owner);
    if (!partner) {
      error = fmt::format("--target: {} is in no SU cluster; name a target SU ({})",
                          c.sus[owner].name, su_names(c));
      return -1;
    }
    return *partner;
  }
  for (int s = 0; s < static_cast<int>(c.sus.size()); ++s) {
    if (c.sus[s].name == name) return s;
  }
  error = fmt::format("--target {}: no such SU (SUs: {})", name, su_names(c));
  return -1;
}

std::optional<std::vector<ref::Fault>> parse_faults(const MigrateArgs& args, std::string& error) {
  std::vector<ref::Fault> faults;
  for (const auto& text : args.faults) {
    auto fault = ref::parse_fault(text, error);
    if (!fault) {
      error = "--fault " + error;
      return std::nullopt;
    }
    if (fault->kind == ref::FaultKind::kill && args.transport != "tcp") {
      error = "--fault " + text + ": kill needs the target in its own process (--transport tcp)";
      return std::nullopt;
    }
    faults.push_back(*fault);
  }
  return faults;
}

ref::WorkloadSpec workload_of(const MigrateArgs& args) {
  ref::WorkloadSpec spec;
  spec.dirty_pages_per_second = args.dirty_rate;
  spec.seed = args.seed;
  if (args.pattern == "hot") spec.pattern = ref::Pattern::hot_set;
  if (args.pattern == "sweep") spec.pattern = ref::Pattern::sequential;
  if (args.pattern == "zero") spec.pattern = ref::Pattern::zero_heavy;
  return spec;
}

ref::MigrationOptions migration_options(const MigrateArgs& args, std::vector<ref::Fault> faults) {
  ref::MigrationOptions options;
  options.transfer.codec = args.compression == "lz4"    ? ref::Codec::lz4
                           : args.compression == "zstd" ? ref::Codec::zstd
                                                        : ref::Codec::none;
  options.transfer.delta = args.delta;
  options.transfer.streams = args.streams;
  options.transfer.checksum = args.transport == "tcp";
  options.policy.downtime_target_seconds = args.downtime_ms / 1000;
  options.link_bits_per_second = args.link_gbit * 1e9;
  options.faults = std::move(faults);
  if (!args.quiet) options.on_round = print_round;
  return options;
}

/// `--record`: the run's observable LM events as a trace of kind recording,
/// named as the cluster model's actions with the configuration's units.
struct Recorder {
  Recorder(const MigrateArgs& args, const cluster::Config& config, int target,
           const ref::Clock& clock)
      : config(config), mirrors(ref::crd_mirror_names(config)), target(target), clock(&clock) {
    if (args.cluster.config_file.empty()) {
      trace.preset = args.cluster.preset;
    } else {
      trace.config = args.cluster.config_file;
    }
    trace.kind = TraceKind::recording;
  }

  void operator()(std::string_view kind, int unit) {
    if (kind == "resume") committed = true;
    if (kind == "su_crash" && unit == target && !committed) target_killed = true;
    // The model's crash of an LM's target rolls the LM back in the same step
    // (ClusterModel::su_crash): the source's local steps until it notices the
    // loss, and its abort, have no action of their own there.
    if (target_killed && (kind == "stop_io" || kind == "suspend" || kind == "abort")) return;
    trace.steps.push_back({std::string(kind), unit, 0, describe(kind, unit)});
    timed.push_back({clock->now(), std::string(kind), unit});
  }

  std::string describe(std::string_view kind, int unit) {
    auto name = [](const auto& list, int i) {
      return i >= 0 && i < static_cast<int>(list.size()) ? list[i].name : std::string("?");
    };
    if (kind == "isl_down") return fmt::format("refimpl: fault: ISL-E link {} cut", unit + 1);
    if (kind == "disk_fail") {
      return fmt::format(
          "refimpl: fault: configuration disk {} fails",
          unit >= 0 && unit < static_cast<int>(mirrors.size()) ? mirrors[unit] : "?");
    }
    if (kind == "su_crash") {
      return fmt::format("refimpl: fault: SU {} is killed", name(config.sus, unit));
    }
    if (kind == "lm_request") rounds = 0;
    if (kind == "copy_round") {
      return fmt::format("refimpl: LM {}: pre-copy round {}", name(config.vms, unit), rounds++);
    }
    return fmt::format("refimpl: LM {}: {}", name(config.vms, unit), kind);
  }

  const cluster::Config& config;
  std::vector<std::string> mirrors;
  int target;
  const ref::Clock* clock;
  TraceFile trace;
  std::vector<TimedStep> timed;  ///< the same steps with their times (--svg)
  int rounds = 0;
  bool committed = false;
  bool target_killed = false;
};

/// The target's data plane: a runtime in this process, or a target process.
struct TargetSide {
  std::unique_ptr<ref::TargetRuntime> runtime;
  std::unique_ptr<ref::TargetChannel> channel;
  ref::TargetProcess process;
  bool remote = false;
};

TargetSide open_target(const MigrateArgs& args, const std::vector<ref::Fault>& faults) {
  const ref::TargetFaults target_faults{ref::has_fault(faults, ref::FaultKind::allocation),
                                        ref::has_fault(faults, ref::FaultKind::resume)};
  TargetSide side;
  if (args.transport == "tcp") {
    side.remote = true;
    side.process = ref::spawn_target_process(args.streams, target_faults);
    side.channel = ref::TcpChannel::connect(side.process.port, args.streams);
  } else {
    side.runtime = std::make_unique<ref::TargetRuntime>(target_faults);
    side.channel = std::make_unique<ref::InProcessChannel>(*side.runtime, args.streams);
  }
  return side;
}

void close_target(TargetSide& side) {
  if (!side.remote || side.process.pid < 0) return;
  try {
    side.channel->request({ref::Control::shutdown, 0, {}});
  } catch (const ref::TransportError&) {
    // the process is gone already (fault kill, or it ended on a cut link)
  }
  side.channel.reset();
  ref::wait_target_process(side.process);
}

/// A CRD directory of its own for the run, removed afterwards unless named.
struct CrdDirectory {
  explicit CrdDirectory(const std::string& named) : keep(!named.empty()) {
    path = keep ? std::filesystem::path(named)
                : std::filesystem::temp_directory_path() /
                      fmt::format("lmc-crd-{}-{}", ::getpid(),
                                  std::chrono::steady_clock::now().time_since_epoch().count());
  }
  ~CrdDirectory() {
    std::error_code ignored;
    if (!keep) std::filesystem::remove_all(path, ignored);
  }
  std::filesystem::path path;
  bool keep;
};

/// The guest's memory: --unit-mib MiB per memory unit of the VM. nullptr,
/// after a message, when the machine (or a ulimit) refuses that much.
std::unique_ptr<ref::Guest> make_guest(const MigrateArgs& args, const cluster::Config& config,
                                       int vm) {
  const std::size_t pages = static_cast<std::size_t>(config.vms[vm].memory) * args.unit_mib *
                            (1024 * 1024 / ref::kPageSize);
  try {
    return std::make_unique<ref::Guest>(pages, workload_of(args));
  } catch (const std::bad_alloc&) {
    fmt::print(stderr,
               "lmc migrate: error: cannot allocate the guest's memory: {} MiB ({} memory units "
               "of VM {} x --unit-mib {}); try a smaller --unit-mib\n",
               pages * ref::kPageSize >> 20, config.vms[vm].memory, config.vms[vm].name,
               args.unit_mib);
    return nullptr;
  }
}

/// A second signal must not leave the temporary CRD behind either.
void register_cleanup(InterruptScope& interrupts, const CrdDirectory& crd_dir,
                      const ref::Installation& installation) {
  if (crd_dir.keep) return;
  for (const auto& file : installation.crd().files()) {
    interrupts.remove_on_exit(file);
    interrupts.remove_on_exit(file.string() + ".tmp");
  }
  interrupts.remove_directory_on_exit(crd_dir.path);
}

void print_notes(const MigrateRun& run) {
  for (const auto& note : run.result.notes) fmt::print(stderr, "lmc migrate: note: {}\n", note);
  if (run.result.interrupted_by != 0 && run.result.status == "$AE") {
    fmt::print(stderr, "lmc migrate: interrupted: the LM was aborted and rolled back ({})\n",
               run.source_check && run.source_check->whole() ? "the source is whole"
                                                             : "the source is NOT whole");
  }
}

bool write_outputs(const MigrateArgs& args, const MigrateRun& run, const Recorder& recorder) {
  std::string error;
  if (!args.monjv_file.empty() &&
      !run.installation.vm(run.vm).monjv.write(args.monjv_file, error)) {
    fmt::print(stderr, "lmc migrate: error: --monjv {}\n", error);
    return false;
  }
  if (!args.json_file.empty() &&
      !write_output_file(args.json_file, report_json(run), "migrate", "--json")) {
    return false;
  }
  if (!args.svg_file.empty() &&
      !write_output_file(args.svg_file, migrate_chart_svg(run, recorder.timed), "migrate",
                         "--svg")) {
    return false;
  }
  if (!args.plot_file.empty() &&
      !write_output_file(args.plot_file, migrate_plot_svg(run, args.downtime_ms / 1000), "migrate",
                         "--plot")) {
    return false;
  }
  if (!args.record_file.empty()) {
    try {
      write_trace_file(args.record_file, recorder.trace);
    } catch (const TraceFileError& e) {
      fmt::print(stderr, "lmc migrate: error: --record {}\n", e.what());
      return false;
    }
  }
  return true;
}

int run_migrate(const MigrateArgs& args) {
  // First of all: a signal while the configuration loads or the guest's
  // memory fills is seen by the LM's first check, which aborts it ($AE),
  // instead of killing a run that has not said anything yet.
  InterruptScope interrupts;
  std::string error;
  auto config = load_cluster_config(args.cluster, error);
  int vm = -1;
  int target = -1;
  if (config) vm = pick_vm(*config, args.vm, args.source, error);
  // The configuration's owner here, to refuse a bad --target before any
  // work; the CRD's owner once it is read.
  if (vm >= 0) target = pick_target(*config, config->vms[vm].su, args.target, error);
  const auto faults = target >= 0 ? parse_faults(args, error) : std::nullopt;
  if (!faults) {
    fmt::print(stderr, "lmc migrate: error: {}\n", error);
    return kExitBadInput;
  }
  auto guest = make_guest(args, *config, vm);
  if (!guest) return kExitBadInput;
  auto clock = args.virtual_clock ? ref::Clock::virtual_time() : ref::Clock::real_time();
  // The target process is forked before any thread of ours starts.
  auto side = open_target(args, *faults);
  if (side.remote) interrupts.set_child(side.process.pid);
  CrdDirectory crd_dir(args.crd_dir);
  std::unique_ptr<ref::Installation> made;
  try {
    made = std::make_unique<ref::Installation>(
        *config, clock, crd_dir.path, "SYSADM",
        args.recreate_crd ? ref::CrdReuse::recreate : ref::CrdReuse::read_state);
  } catch (const std::exception& e) {
    fmt::print(stderr, "lmc migrate: error: cannot set up the cluster (CRD in {}): {}\n",
               crd_dir.path.string(), e.what());
    close_target(side);
    return kExitBadInput;
  }
  auto& installation = *made;
  register_cleanup(interrupts, crd_dir, installation);
  for (const auto& note : installation.crd_notes()) {
    fmt::print(stderr, "lmc migrate: note: CRD: {}\n", note);
  }
  if (!args.record_file.empty() && installation.vm(vm).su != config->vms[vm].su) {
    fmt::print(stderr,
               "lmc migrate: note: --record: the run starts from the CRD's state, not the "
               "configuration's; lmc validate judges a recording from the configuration's\n");
  }
  if (args.target.empty() && installation.vm(vm).su != config->vms[vm].su) {
    target = pick_target(*config, installation.vm(vm).su, args.target, error);
    if (target < 0) {
      fmt::print(stderr, "lmc migrate: error: {}\n", error);
      close_target(side);
      return kExitBadInput;
    }
  }
  auto options = migration_options(args, *faults);
  options.interrupt = &interrupts.signal();
  options.kill_target = [&side] { ref::kill_target_process(side.process); };
  auto* raw = side.channel.get();
  options.target_discard_on_link_loss = [raw] {
    try {
      raw->request({ref::Control::release, 0, {}});
    } catch (const ref::TransportError&) {
      // a killed target holds nothing any more
    }
  };
  auto recorder = std::make_shared<Recorder>(args, *config, target, installation.clock());
  if (!args.record_file.empty() || !args.svg_file.empty()) {
    options.on_event = [recorder](std::string_view kind, int unit) { (*recorder)(kind, unit); };
  }
  MigrateRun run{installation, vm, target, *guest, args.transport, guest->memory().pages()};
  run.source_su = installation.vm(vm).su;
  if (!args.quiet) print_header(run);
  ref::LiveMigration lm(installation, vm, target, *guest, *side.channel, std::move(options));
  run.result = lm.run();
  const bool ended = run.result.status == "$T" || run.result.status == "$TW";
  if (side.runtime && ended) {
    run.memory_compared = true;
    run.memory_identical = side.runtime->memory() &&
                           side.runtime->memory()->bytes() == guest->memory().bytes() &&
                           std::memcmp(side.runtime->memory()->data(), guest->memory().data(),
                                       guest->memory().bytes()) == 0;
  }
  if (run.result.status == "$AE") {
    run.source_check =
        ref::check_source_after_abort(installation, vm, run.source_su, target, *guest);
  }
  close_target(side);
  interrupts.set_child(-1);  // reaped: its pid may belong to another process now
  if (!args.quiet) print_report(run);
  print_notes(run);
  if (!write_outputs(args, run, *recorder)) return kExitBadInput;
  // 0: the LM ended; 1: it was rejected or aborted, or the memory differs.
  return ended && (!run.memory_compared || run.memory_identical) ? 0 : 1;
}

}  // namespace

void add_migrate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MigrateArgs>();
  auto* cmd = app.add_subcommand(
      "migrate",
      "Run one Live Migration on the reference implementation: real guest memory written by a "
      "workload, the four phases with rollback on abort, the page-transfer loop over the "
      "in-process channel or TCP to a target process, capped by a link model. Prints each "
      "pre-copy round, the console messages of source, target and guest in order, the events, "
      "the audit log and the MONJV statuses.\n"
      "SIGINT or SIGTERM aborts the LM and rolls it back as any abort before the commit point "
      "(after it, the LM completes); the reports are written and the source is checked; a "
      "second signal stops at once.\n"
      "Exit codes: 0 the LM ended ($T or $TW), 1 it was rejected ($AF) or aborted ($AE, also "
      "when interrupted), 2 bad usage or input.");
  cmd->add_option("--preset", args->cluster.preset, "A built-in configuration")
      ->capture_default_str();
  cmd->add_option("--config,-c", args->cluster.config_file, "A JSON configuration file");
  cmd->add_option("--vm", args->vm, "The VM to migrate (default: the first RUNNING VM)");
  cmd->add_option("--source", args->source,
                  "The SU the VM belongs to, when its name is defined on more than one SU");
  cmd->add_option("--target", args->target, "The target SU (default: the other SU of its cluster)");
  cmd->add_option("--transport", args->transport,
                  "inproc: the target's data plane in this process; tcp: a target process "
                  "over loopback")
      ->check(CLI::IsMember({"inproc", "tcp"}))
      ->capture_default_str();
  cmd->add_option("--fault", args->faults,
                  "KIND@PHASE, repeatable. KIND: link, alloc, resume, crd (every configuration "
                  "disk), disk (one mirror), kill (tcp), sigint and sigterm (lmc signals "
                  "itself, as an operator would). PHASE: setup, copy, switchover, cleanup");
  cmd->add_option("--unit-mib", args->unit_mib,
                  "MiB of real memory per memory unit of the configuration")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--dirty-rate", args->dirty_rate,
                  "Guest page writes per second (at most 1e7: 40 GB/s of pages)")
      ->check(detail::finite_in(0, 1e7))
      ->capture_default_str();
  cmd->add_option("--pattern", args->pattern, "Guest writes: uniform, hot, sweep, zero")
      ->check(CLI::IsMember({"uniform", "hot", "sweep", "zero"}))
      ->capture_default_str();
  cmd->add_option("--link-gbit", args->link_gbit, "ISL-E bandwidth in Gbit/s (0: uncapped)")
      ->check(detail::finite_in(0.001, 1000, "uncapped"))
      ->capture_default_str();
  cmd->add_option("--compress", args->compression, "Page compression: none, lz4, zstd")
      ->check(CLI::IsMember({"none", "lz4", "zstd"}))
      ->capture_default_str();
  cmd->add_flag("--delta", args->delta, "Send re-dirtied pages as deltas against the last sent");
  cmd->add_option("--streams", args->streams, "Transfer streams (threads)")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  cmd->add_option("--downtime-ms", args->downtime_ms, "Downtime target for stop-and-copy")
      ->check(detail::finite_in(0.001, 1e6))
      ->capture_default_str();
  cmd->add_flag("--virtual-clock", args->virtual_clock,
                "Deterministic run: virtual time, the guest writes by the clock (same output "
                "every run)");
  cmd->add_option("--seed", args->seed, "Seed of the guest's writes")
      ->check(detail::count_of<std::uint64_t>())
      ->capture_default_str();
  cmd->add_option("--monjv", args->monjv_file,
                  "Write the guest's 256-byte MONJV record here (bytes 129-256 of an existing "
                  "file are kept)")
      ->check(detail::writable_file());
  cmd->add_option("--json", args->json_file, "Write the statistics and observables as JSON")
      ->check(detail::writable_file());
  cmd->add_option("--svg", args->svg_file,
                  "Draw the run as an SVG message sequence chart: the LM's steps from source to "
                  "target in order of time, console lines and events on their lifelines, the "
                  "faults injected, the request's MONJV and the result")
      ->check(detail::writable_file());
  cmd->add_option("--plot", args->plot_file,
                  "Plot the pre-copy rounds as SVG: pages sent and left dirty per round, the "
                  "guest's dirty rate, and the downtime each round's end would cost against "
                  "--downtime-ms")
      ->check(detail::writable_file());
  cmd->add_option("--crd-dir", args->crd_dir,
                  "Keep the CRD mirror files in this directory (default: a temporary one). A "
                  "directory an earlier run kept is read as the cluster's state: each VM where "
                  "its definition says; damaged or missing mirrors are reported and "
                  "resynchronised")
      ->check(detail::writable_directory());
  cmd->add_flag("--recreate-crd", args->recreate_crd,
                "Empty the CRD in --crd-dir and write the configuration's definitions, instead "
                "of reading it as the cluster's state (needed when every mirror is damaged)");
  cmd->add_option("--record", args->record_file,
                  "Write the run's LM events (and the faults injected) as a trace file of kind "
                  "recording, named as the cluster model's actions; lmc validate FILE checks it "
                  "is a path of the model")
      ->check(detail::writable_file());
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing; use the exit code and --json");
  cmd->callback([args, &exit_code] { exit_code = run_migrate(*args); });
}

}  // namespace lmc::cli
