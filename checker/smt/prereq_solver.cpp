#include "checker/smt/prereq_solver.hpp"

#include <fmt/core.h>
#include <z3++.h>

#include <functional>

#include "checker/smt/request_facts.hpp"
#include "checker/smt/rule_formulas.hpp"
#include "model/cluster/config.hpp"

namespace lmc::smt {
namespace {

constexpr int kWaitState = static_cast<int>(cluster::VmState::wait);
constexpr int kS390 = static_cast<int>(cluster::Arch::s390);
constexpr int kNative = static_cast<int>(cluster::Mode::native);
constexpr int kMinRewas = 20;  // REWAS V2.0 (P15)

/// One rule instance: its constraint over the fact constants, and how to
/// describe it when it is violated.
struct NamedRule {
  std::string rule;
  std::string message;
  z3::expr constraint;
  std::function<std::string()> detail;
  /// A solver constant whose value in a satisfying model answers the user:
  /// the VM index chosen (P7) or where the VM's memory goes (P5 on /390).
  const char* witness = nullptr;
};

/// The facts as solver constants. Each is pinned to its value by an equality
/// asserted in the background, so the rules stay formulas over symbols (and
/// could as well range over every configuration within bounds).
class FactTerms {
 public:
  FactTerms(z3::context& ctx, z3::solver& solver) : ctx_(ctx), solver_(solver) {}

  z3::expr integer(const std::string& name, int value) {
    auto term = ctx_.int_const(name.c_str());
    solver_.add(term == value);
    return term;
  }
  z3::expr boolean(const std::string& name, bool value) {
    auto term = ctx_.bool_const(name.c_str());
    solver_.add(term == ctx_.bool_val(value));
    return term;
  }

 private:
  z3::context& ctx_;
  z3::solver& solver_;
};

std::vector<NamedRule> unit_rules(const RequestFacts& f, FactTerms& t, z3::context& ctx) {
  std::vector<NamedRule> rules;
  const auto cs = t.integer("cluster_source", f.source.cluster);
  const auto ct = t.integer("cluster_target", f.target.cluster);
  const auto same = t.boolean("same_unit", f.same_unit);
  const auto active = t.boolean("cluster_active", f.cluster_active);
  const auto reachable = t.boolean("target_reachable", f.target_reachable);
  rules.push_back(
      {"P1", "", cs >= 0 && cs == ct && !same && active && reachable, [f] {
         if (f.source.cluster < 0 || f.source.cluster != f.target.cluster || f.same_unit)
           return fmt::format("{} and {} are not one SU cluster", f.source.name, f.target.name);
         if (!f.cluster_active) return fmt::format("SU cluster {} is INACTIVE", f.cluster_name);
         return fmt::format("{} is not accessible from {}", f.target.name, f.source.name);
       }});
  const auto as = t.integer("arch_source", f.source.arch);
  const auto at = t.integer("arch_target", f.target.arch);
  rules.push_back({"P2", "", as == at, [] { return std::string("architectures differ"); }});
  const auto ss = t.integer("server_source", f.source.server);
  const auto st = t.integer("server_target", f.target.server);
  const auto isl = t.integer("isl_links", f.isl_links);
  rules.push_back(
      {"P3", "", ss == st || isl > 0, [] { return std::string("no management cluster"); }});
  const auto ms = t.integer("mode_source", f.source.mode);
  const auto mt = t.integer("mode_target", f.target.mode);
  rules.push_back({"P4", "", ms == mt, [] { return std::string("BS2000 modes differ"); }});
  const auto defs = t.integer("definitions_target", f.definitions);
  rules.push_back({"P14", "", z3::implies(mt == kNative, defs == 0), [f] {
                     return fmt::format("native target {} already holds a BS2000", f.target.name);
                   }});
  for (const auto* su : {&f.source, &f.target}) {
    const auto rewas = t.integer("rewas_" + su->name, su->rewas);
    rules.push_back({"P15", "", z3::implies(as == kS390, rewas >= kMinRewas), [name = su->name] {
                       return fmt::format("REWAS >= V2.0 not active on {}", name);
                     }});
  }
  (void)ctx;
  return rules;
}

std::vector<NamedRule> resource_rules(const RequestFacts& f, FactTerms& t, z3::context& ctx) {
  std::vector<NamedRule> rules;
  const auto free = t.integer("free_memory_target", f.free_memory);
  const auto need = t.integer("vm_memory", f.vm_memory);
  rules.push_back({"P5", "", rules::p5_memory(free, need), [f] {
                     return fmt::format("{} needs {} memory units, {} has {} free", f.vm,
                                        f.vm_memory, f.target.name, f.free_memory);
                   }});
  if (f.target.arch == kS390 && !f.target_extents.empty()) {
    const auto start = ctx.int_const("placement_start");
    const auto memory = t.integer("target_memory", f.target_memory);
    std::vector<std::pair<z3::expr, z3::expr>> extents;
    for (std::size_t e = 0; e < f.target_extents.size(); ++e) {
      extents.emplace_back(t.integer(fmt::format("extent{}_start", e), f.target_extents[e].first),
                           t.integer(fmt::format("extent{}_size", e), f.target_extents[e].second));
    }
    rules.push_back({"P5", "", rules::p5_contiguous(start, need, memory, extents),
                     [f] {
                       return fmt::format("{} needs {} contiguous units on {}, none is free", f.vm,
                                          f.vm_memory, f.target.name);
                     },
                     "placement_start"});
  }
  const auto name_used = t.boolean("name_used_target", f.name_used);
  rules.push_back({"P6", "", rules::p6_name(name_used),
                   [f] { return fmt::format("VM name {} is used on {}", f.vm, f.target.name); }});
  // P7: some index the VM may take is free on the target; for *ANY the
  // solver picks it.
  const auto index = ctx.int_const("vm_index_on_target");
  const auto fixed = t.integer("vm_index_fixed", f.vm_index);
  const auto max_index = t.integer("max_index_target", f.max_index);
  std::vector<z3::expr> used;
  for (std::size_t i = 0; i < f.used_indexes.size(); ++i) {
    used.push_back(t.integer(fmt::format("used_index_{}", i), f.used_indexes[i]));
  }
  const auto p7 = rules::p7_index(index, fixed, max_index, used);
  rules.push_back(
      {"P7", "", p7,
       [f] {
         return f.vm_index > 0
                    ? fmt::format("VM index {} is not free on {}", f.vm_index, f.target.name)
                    : fmt::format("no free VM index on {} for VM-INDEX=*ANY", f.target.name);
       },
       "vm_index_on_target"});
  const auto defs = t.integer("definitions_target_p8", f.definitions);
  const auto max_defs = t.integer("max_definitions_target", f.max_definitions);
  rules.push_back({"P8", "", rules::p8_definitions(defs, max_defs), [f] {
                     return fmt::format("{} holds its maximum of {} VM definitions", f.target.name,
                                        f.max_definitions);
                   }});
  return rules;
}

std::vector<NamedRule> device_rules(const RequestFacts& f, FactTerms& t) {
  std::vector<NamedRule> rules;
  for (const auto& d : f.devices) {
    if (d.detached) continue;  // detached before the LM, never assigned on the target
    const auto generated = t.boolean("generated_" + d.id, d.generated);
    const auto exclusive = t.boolean("exclusive_" + d.id, d.exclusive);
    const auto taken = t.boolean("taken_" + d.id, d.taken);
    rules.push_back({"P10", "", rules::p10_generated(generated), [d, f] {
                       return fmt::format("device {} is not generated on {}", d.id, f.target.name);
                     }});
    rules.push_back({"P11", "VMS2437", rules::p11_available(generated, exclusive, taken), [d, f] {
                       return fmt::format("device {} is exclusively assigned to another VM on {}",
                                          d.id, f.target.name);
                     }});
  }
  for (const auto& p : f.placement) {
    if (p.name.empty()) continue;
    const auto exists = t.boolean("exists_" + p.what + "_" + p.name, p.exists);
    rules.push_back({"P12", "", exists, [p, f] {
                       return fmt::format("{} {} does not exist on {}", p.what, p.name,
                                          f.target.name);
                     }});
  }
  return rules;
}

std::vector<NamedRule> operation_rules(const RequestFacts& f, FactTerms& t) {
  std::vector<NamedRule> rules;
  const auto state = t.integer("vm_state", f.vm_state);
  rules.push_back(
      {"P13", "", state != kWaitState, [f] { return fmt::format("{} is in state WAIT", f.vm); }});
  const auto running = t.boolean("lm_running_from_source", f.lm_running_from_source);
  rules.push_back(
      {"P16", "", !running,
       [f] { return fmt::format("an LM of {} from {} is running", f.running_vm, f.source.name); }});
  for (const auto* su : {&f.source, &f.target}) {
    const auto update = t.boolean("config_update_" + su->name, su->config_update);
    rules.push_back({"P17", "", !update, [name = su->name] {
                       return fmt::format("a configuration update is running on {}", name);
                     }});
  }
  for (const auto* su : {&f.source, &f.target}) {
    const auto shutdown = t.boolean("shutdown_" + su->name, su->shutdown);
    rules.push_back({"P18", "", !shutdown, [name = su->name] {
                       return fmt::format("a VM2000 shutdown has been initiated on {}", name);
                     }});
  }
  const auto monitor = t.boolean("monitor_system", f.monitor_system);
  rules.push_back({"P19", "", !monitor,
                   [] { return std::string("the VM2000 monitor system cannot be migrated"); }});
  return rules;
}

int rule_number(const std::string& rule) {
  return std::stoi(rule.substr(1));
}

}  // namespace

struct PrereqSolver::Impl {
  z3::context ctx;
  z3::solver solver{ctx};
};

PrereqSolver::PrereqSolver() : impl_(std::make_unique<Impl>()) {}
PrereqSolver::~PrereqSolver() = default;

PrereqVerdict PrereqSolver::check(const cluster::Topology& topology, const cluster::State& state,
                                  int vm, int target) {
  return check(read_request_facts(topology, state, vm, target));
}

PrereqVerdict PrereqSolver::check(const RequestFacts& facts) {
  auto& ctx = impl_->ctx;
  auto& solver = impl_->solver;
  solver.push();
  FactTerms terms(ctx, solver);
  std::vector<NamedRule> rules;
  for (auto part : {unit_rules(facts, terms, ctx), resource_rules(facts, terms, ctx),
                    device_rules(facts, terms), operation_rules(facts, terms)}) {
    for (auto& r : part) rules.push_back(std::move(r));
  }
  std::stable_sort(rules.begin(), rules.end(), [](const NamedRule& a, const NamedRule& b) {
    return rule_number(a.rule) < rule_number(b.rule);
  });
  PrereqVerdict verdict;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    // The assumption literal names the rule instance: checking it alone tells
    // whether that constraint can hold together with the facts.
    const auto guard = ctx.bool_const(fmt::format("{}#{}", rules[i].rule, i).c_str());
    solver.add(z3::implies(guard, rules[i].constraint));
    z3::expr_vector assumptions(ctx);
    assumptions.push_back(guard);
    ++verdict.queries;
    if (solver.check(assumptions) == z3::unsat) {
      verdict.conflicts.push_back({rules[i].rule, rules[i].message, rules[i].detail()});
    } else if (rules[i].witness != nullptr) {
      const int value =
          solver.get_model().eval(ctx.int_const(rules[i].witness), true).get_numeral_int();
      (rules[i].rule == "P7" ? verdict.vm_index : verdict.placement) = value;
    }
  }
  solver.pop();
  return verdict;
}

}  // namespace lmc::smt
