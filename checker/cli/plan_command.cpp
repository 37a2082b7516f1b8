// `lmc plan --evacuate SU`: empty an SU before maintenance, in an order whose
// every step is possible, or learn what blocks it.

#include <fmt/core.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "checker/cli/commands.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/prereq/planner.hpp"

namespace lmc::cli {
namespace {

struct PlanArgs {
  ClusterSelection cluster;
  std::string evacuate;
  std::string json_file;
  std::string steps_dir;
};

void print_blockers(const std::vector<smt::Blocker>& blockers, const char* indent, bool advice) {
  for (const auto& b : blockers) {
    fmt::print("{}{} {}: {}\n", indent, b.rule, b.vm, b.detail);
    if (!advice) continue;
    if (b.changes.empty()) fmt::print("{}  no change of the configuration lifts it\n", indent);
    for (const auto& change : b.changes) {
      fmt::print("{}  {}: {}\n", indent, change.unblocks ? "unblocks" : "not enough alone",
                 change.text);
    }
  }
}

nlohmann::json blockers_json(const std::vector<smt::Blocker>& blockers) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& b : blockers) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : b.changes)
      changes.push_back({{"change", c.text}, {"unblocks", c.unblocks}});
    list.push_back({{"vm", b.vm}, {"rule", b.rule}, {"detail", b.detail}, {"changes", changes}});
  }
  return list;
}

void print_plan(const smt::EvacuationPlan& plan) {
  fmt::print("evacuation of {} to {} ({:.1f} ms, {} rule instances checked): {}\n", plan.source,
             plan.target, plan.milliseconds, plan.step_checks,
             plan.found ? "plan found" : "NO PLAN");
  for (std::size_t s = 0; s < plan.steps.size(); ++s) {
    const auto& step = plan.steps[s];
    if (step.vm_index > 0) {
      fmt::print("  step {}: {} {} (VM-INDEX {} on {})\n", s + 1, step.command, step.vm,
                 step.vm_index, plan.target);
    } else {
      fmt::print("  step {}: {} {} (to {})\n", s + 1, step.command, step.vm, plan.target);
    }
  }
  if (!plan.found) {
    fmt::print(
        "  blocked by this minimal set of conflicts (each change below was planned "
        "again with it applied):\n");
    print_blockers(plan.blocking, "    ", true);
  }
  for (const auto& naive : plan.naive_orders) {
    fmt::print("naive order, {} ({}): {}\n", naive.name, fmt::join(naive.order, ", "),
               naive.blocked.empty() ? "works" : "fails");
    print_blockers(naive.blocked, "    ", false);
  }
}

nlohmann::json plan_json(const smt::EvacuationPlan& plan) {
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
  return {{"source", plan.source},
          {"target", plan.target},
          {"found", plan.found},
          {"steps", steps},
          {"blocking", blockers_json(plan.blocking)},
          {"naive_orders", naive},
          {"step_checks", plan.step_checks},
          {"milliseconds", plan.milliseconds},
          {"search_milliseconds", plan.search_milliseconds}};
}

/// DIR/step-N.json: the configuration after steps 1..N, so that each step can
/// be checked on its own with `lmc prereq` and `lmc migrate`.
bool write_steps(const cluster::Config& config, int target, const smt::EvacuationPlan& plan,
                 const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  cluster::Config current = config;
  for (std::size_t s = 0; s <= plan.steps.size(); ++s) {
    const auto file = fmt::format("{}/step-{}.json", dir, s);
    if (!write_output_file(file, cluster::config_to_json(current), "plan", "--steps-dir")) {
      return false;
    }
    if (s == plan.steps.size()) break;
    const auto& step = plan.steps[s];
    current = smt::apply_step(current, step.vm_number, target, step.vm_index);
  }
  return true;
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
  if (!args.json_file.empty() &&
      !write_output_file(args.json_file, versioned_json("lmc-plan", 1, plan_json(plan)), "plan",
                         "--json")) {
    return kExitBadInput;
  }
  if (plan.found && !args.steps_dir.empty() &&
      !write_steps(*config, *config->partner_of(su), plan, args.steps_dir)) {
    return kExitBadInput;
  }
  return plan.found ? 0 : 1;
}

}  // namespace

void add_plan_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PlanArgs>();
  auto* cmd = app.add_subcommand(
      "plan",
      "Find an order of migrations that moves every VM off an SU (VM-definition migrations "
      "for DEFINED_ONLY VMs) with every step's prerequisites (P1-P19) holding at that step, or "
      "a minimal set of blocking conflicts with the configuration changes that lift them "
      "(each verified by planning again). Also checks two naive orders for comparison.\n"
      "Exit codes: 0 plan found, 1 no plan, 2 bad usage or input.");
  cmd->add_option("--preset", args->cluster.preset, "A built-in configuration")
      ->capture_default_str();
  cmd->add_option("--config,-c", args->cluster.config_file,
                  "A JSON configuration file (up to 64 VMs here)");
  cmd->add_option("--evacuate", args->evacuate, "The SU to empty")->required();
  cmd->add_option("--json", args->json_file, "Write the plan, the blockers and the naive orders")
      ->check(detail::writable_file());
  cmd->add_option("--steps-dir", args->steps_dir,
                  "With a plan: write DIR/step-0.json (the configuration as given) and "
                  "DIR/step-N.json (after step N), for checking each step with lmc prereq and "
                  "lmc migrate")
      ->check(detail::writable_directory());
  cmd->callback([args, &exit_code] { exit_code = run_plan(*args); });
}

}  // namespace lmc::cli
