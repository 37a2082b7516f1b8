// `lmc prereq`: can this VM move there, and if not, every reason at once
// (WP §4.2, /CHECK-VM-MIGRATION), discharged by Z3 or by the model's own
// C++ check.

#include <fmt/core.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "checker/cli/commands.hpp"
#include "checker/cli/conflict_json.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/cluster_model.hpp"
#include "model/cluster/prereq/prereq_solver.hpp"

namespace lmc::cli {
namespace {

struct PrereqArgs {
  ClusterSelection cluster;
  std::string vm;
  std::string target;
  std::string source;
  std::string engine = "z3";
  std::string json_file;
};

int find_su(const cluster::Config& c, const std::string& name) {
  for (int su = 0; su < static_cast<int>(c.sus.size()); ++su) {
    if (c.sus[su].name == name) return su;
  }
  return -1;
}

std::string names_of_sus(const cluster::Config& c) {
  std::string names;
  for (const auto& su : c.sus) names += (names.empty() ? "" : ", ") + su.name;
  return names;
}

/// Resolves --vm, --source and --target against the configuration, or
/// explains what is wrong (exit 2). A name defined on both SUs of a cluster
/// (D1) needs --source to say which.
bool resolve_request(const cluster::Config& c, const PrereqArgs& args, int& vm, int& target,
                     std::string& error) {
  const int source = args.source.empty() ? -1 : find_su(c, args.source);
  if (!args.source.empty() && source < 0) {
    error = fmt::format("--source {}: no such SU (SUs: {})", args.source, names_of_sus(c));
    return false;
  }
  if (args.vm.empty()) {
    vm = 0;
  } else if (source >= 0) {
    vm = c.find_vm(args.vm, source);
  } else if (c.vms_named(args.vm) > 1) {
    error =
        fmt::format("--vm {}: defined on more than one SU; name the one with --source", args.vm);
    return false;
  } else {
    vm = c.vm_index_by_name(args.vm);
  }
  if (vm < 0) {
    error = source >= 0 ? fmt::format("--vm {}: no such VM on {}", args.vm, args.source)
                        : fmt::format("--vm {}: no such VM in {}", args.vm, c.name);
    return false;
  }
  if (source >= 0 && c.vms[vm].su != source) {
    error = fmt::format("--source {}: VM {} belongs to {}", args.source, c.vms[vm].name,
                        c.sus[c.vms[vm].su].name);
    return false;
  }
  if (args.target.empty()) {
    const auto partner = c.partner_of(c.vms[vm].su);
    if (!partner) {
      error = fmt::format("--target: {} is in no SU cluster, name a target SU ({})",
                          c.sus[c.vms[vm].su].name, names_of_sus(c));
      return false;
    }
    target = *partner;
    return true;
  }
  target = find_su(c, args.target);
  if (target < 0) {
    error = fmt::format("--target {}: no such SU (SUs: {})", args.target, names_of_sus(c));
    return false;
  }
  return true;
}

/// Z3 on the facts as the configuration states them: configurations larger
/// than the explicit-state model takes.
smt::PrereqVerdict check_large(const cluster::Config& config, int vm, int target) {
  smt::PrereqSolver solver;
  return solver.check(config, cluster::read_config_facts(config, vm, target));
}

int run_prereq(PrereqArgs& args) {
  args.cluster.limits = cluster::ConfigLimits::analysis();
  std::string error;
  const auto config = load_cluster_config(args.cluster, error);
  int vm = 0;
  int target = 0;
  if (!config || !resolve_request(*config, args, vm, target, error)) {
    fmt::print(stderr, "lmc prereq: error: {}\n", error);
    return kExitBadInput;
  }
  cluster::ConfigError beyond_model;
  const bool large =
      !cluster::validate_config(*config, "", beyond_model, cluster::ConfigLimits::model());
  if (large && args.engine != "z3") {
    fmt::print(stderr,
               "lmc prereq: error: --engine model: the configuration is larger than the "
               "explicit-state model takes ({}); use --engine z3\n",
               beyond_model.message);
    return kExitBadInput;
  }
  const auto start = std::chrono::steady_clock::now();
  smt::PrereqVerdict verdict;
  if (large) {
    verdict = check_large(*config, vm, target);
  } else if (args.engine == "z3") {
    const cluster::ClusterModel model(*config, cluster::Mutant::none);
    const auto state = model.initial_states()[0];
    smt::PrereqSolver solver;
    verdict = solver.check(model.topology(), state, vm, target);
  } else {
    const cluster::ClusterModel model(*config, cluster::Mutant::none);
    const auto state = model.initial_states()[0];
    verdict.conflicts = cluster::lm_conflicts(model.topology(), state, vm, target);
    const auto facts = cluster::read_request_facts(model.topology(), state, vm, target);
    if (const int index = cluster::assigned_index(facts.facts); index > 0) verdict.vm_index = index;
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const auto& name = config->vms[vm].name;
  const auto& source = config->sus[config->vms[vm].su].name;
  const auto& dest = config->sus[target].name;
  const auto facts = cluster::read_config_facts(*config, vm, target);
  const auto id = cluster::vm_id(facts.labels.vm_index, name);
  const auto engine = args.engine == "z3" || large ? fmt::format("Z3: {} checks", verdict.queries)
                                                   : std::string("the model's C++ check");
  fmt::print("/CHECK-VM-MIGRATION VM-ID={},SERVER-UNIT-NAME={} (from {}; {}, {:.2f} ms)\n", id,
             dest, source, engine, ms);
  nlohmann::json conflicts = nlohmann::json::array();
  for (const auto& c : verdict.conflicts) {
    fmt::print("% {}\n", cluster::rejected_line(id, dest, c));
    conflicts.push_back(conflict_to_json(c));
  }
  const bool possible = verdict.conflicts.empty();
  if (possible) {
    fmt::print("% {}{}\n", cluster::possible_line(id, dest),
               verdict.vm_index ? fmt::format(" (VM-INDEX {} there)", *verdict.vm_index) : "");
    if (verdict.placement) {
      const int size = config->vms[vm].memory;
      fmt::print("placement on {}: memory units {}..{} (contiguous)\n", dest, *verdict.placement,
                 *verdict.placement + size - 1);
    }
  } else {
    fmt::print("% {}\n", cluster::not_possible_line(id, dest));
  }
  if (!args.json_file.empty()) {
    nlohmann::json json{{"vm", name},
                        {"source", source},
                        {"target", dest},
                        {"possible", possible},
                        {"engine", args.engine},
                        {"conflicts", conflicts},
                        {"queries", verdict.queries},
                        {"milliseconds", ms}};
    if (verdict.vm_index) json["vm_index"] = *verdict.vm_index;
    if (verdict.placement) json["placement_start"] = *verdict.placement;
    if (!write_output_file(args.json_file, versioned_json("lmc-prereq", 1, json), "prereq",
                           "--json")) {
      return kExitBadInput;
    }
  }
  return possible ? 0 : 1;
}

}  // namespace

void add_prereq_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PrereqArgs>();
  auto* cmd = app.add_subcommand(
      "prereq",
      "Check the prerequisites P1-P19 of one LM request, as /CHECK-VM-MIGRATION does, and "
      "report every conflict at once (VMS2404 per conflict, then VMS2461), or VMS2460 when the "
      "LM is possible. The configuration's initial state gives the dynamic facts.\n"
      "Exit codes: 0 possible, 1 not possible, 2 bad usage or input.");
  cmd->add_option("--preset", args->cluster.preset, "A built-in configuration")
      ->capture_default_str();
  cmd->add_option("--config,-c", args->cluster.config_file, "A JSON configuration file");
  cmd->add_option("--vm", args->vm, "The VM to migrate (default: the configuration's first VM)");
  cmd->add_option("--target", args->target, "The target SU (default: the other SU of its cluster)");
  cmd->add_option("--source", args->source,
                  "The source SU, checked against the VM's definition; needed when the VM's "
                  "name is defined on more than one SU");
  cmd->add_option("--engine", args->engine,
                  "z3: named constraints discharged by Z3 with assumption literals; model: the "
                  "cluster model's own C++ check")
      ->check(CLI::IsMember({"z3", "model"}))
      ->capture_default_str();
  cmd->add_option("--json", args->json_file,
                  "Write vm, source, target, possible, conflicts (rule, message, cause, "
                  "detail, values), vm_index, queries, milliseconds")
      ->check(detail::writable_file());
  cmd->callback([args, &exit_code] { exit_code = run_prereq(*args); });
}

}  // namespace lmc::cli
