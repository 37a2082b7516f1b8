// `lmc plan --evacuate SU`: empty an SU before maintenance, in an order whose
// every step is possible, or learn what blocks it.

#include <fmt/core.h>
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "checker/cli/commands.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/cluster_runner.hpp"
#include "checker/result.hpp"
#include "checker/smt/planner.hpp"

namespace lmc::cli {
namespace {

struct PlanArgs {
  ClusterSelection cluster;
  std::string evacuate;
  std::string json_file;
};

void print_blockers(const std::vector<smt::Blocker>& blockers, const char* indent) {
  for (const auto& b : blockers) fmt::print("{}{} {}: {}\n", indent, b.rule, b.vm, b.detail);
}

nlohmann::json blockers_json(const std::vector<smt::Blocker>& blockers) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& b : blockers)
    list.push_back({{"vm", b.vm}, {"rule", b.rule}, {"change", b.detail}});
  return list;
}

void print_plan(const smt::EvacuationPlan& plan) {
  fmt::print("evacuation of {} to {} ({:.1f} ms): {}\n", plan.source, plan.target,
             plan.milliseconds, plan.found ? "plan found" : "NO PLAN");
  for (std::size_t s = 0; s < plan.steps.size(); ++s) {
    const auto& step = plan.steps[s];
    fmt::print("  step {}: {} {} (VM-INDEX {} on {})\n", s + 1, step.command, step.vm,
               step.vm_index, plan.target);
  }
  if (!plan.found) {
    fmt::print("  blocked by this minimal set of conflicts (change one to unblock it):\n");
    print_blockers(plan.blocking, "    ");
  }
  for (const auto& naive : plan.naive_orders) {
    fmt::print("naive order, {} ({}): {}\n", naive.name, fmt::join(naive.order, ", "),
               naive.blocked.empty() ? "works" : "fails");
    print_blockers(naive.blocked, "    ");
  }
}

int run_plan(PlanArgs& args) {
  args.cluster.limits = cluster::ConfigLimits::analysis();
  std::string error;
  const auto config = load_cluster_config(args.cluster, error);
  if (!config) {
    fmt::print(stderr, "lmc plan: error: {}\n", error);
    return kExitBadInput;
  }
  int su = -1;
  for (int s = 0; s < static_cast<int>(config->sus.size()); ++s) {
    if (config->sus[s].name == args.evacuate) su = s;
  }
  if (su < 0) {
    fmt::print(stderr, "lmc plan: error: --evacuate {}: no such SU\n", args.evacuate);
    return kExitBadInput;
  }
  smt::EvacuationPlan plan;
  if (!smt::plan_evacuation(*config, su, plan, error)) {
    fmt::print(stderr, "lmc plan: error: {}\n", error);
    return kExitBadInput;
  }
  print_plan(plan);
  if (!args.json_file.empty()) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : plan.steps) {
      steps.push_back({{"vm", s.vm}, {"command", s.command}, {"vm_index", s.vm_index}});
    }
    nlohmann::json naive = nlohmann::json::array();
    for (const auto& n : plan.naive_orders) {
      naive.push_back({{"name", n.name},
                       {"order", n.order},
                       {"works", n.blocked.empty()},
                       {"blocked_by", blockers_json(n.blocked)}});
    }
    const nlohmann::json json{{"source", plan.source},
                              {"target", plan.target},
                              {"found", plan.found},
                              {"steps", steps},
                              {"blocking", blockers_json(plan.blocking)},
                              {"naive_orders", naive},
                              {"milliseconds", plan.milliseconds}};
    if (!write_output_file(args.json_file, json.dump(2) + "\n", "plan", "--json")) {
      return kExitBadInput;
    }
  }
  return plan.found ? 0 : 1;
}

}  // namespace

void add_plan_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PlanArgs>();
  auto* cmd = app.add_subcommand(
      "plan",
      "Find an order of migrations that moves every VM off an SU (VM-definition migrations "
      "for DEFINED_ONLY VMs) with every step's prerequisites holding at that step, or a minimal "
      "set of blocking conflicts. Also checks two naive orders for comparison.\n"
      "Exit codes: 0 plan found, 1 no plan, 2 bad usage or input.");
  cmd->add_option("--preset", args->cluster.preset, "A built-in configuration")
      ->capture_default_str();
  cmd->add_option("--config,-c", args->cluster.config_file,
                  "A JSON configuration file (up to 64 VMs here)");
  cmd->add_option("--evacuate", args->evacuate, "The SU to empty")->required();
  cmd->add_option("--json", args->json_file, "Write the plan, the blockers and the naive orders");
  cmd->callback([args, &exit_code] { exit_code = run_plan(*args); });
}

}  // namespace lmc::cli
