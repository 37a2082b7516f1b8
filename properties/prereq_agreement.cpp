// On random configurations and states, Z3's verdict and conflict set for an
// LM request equal the cluster model's own C++ prerequisite check: two
// independent encodings of P1-P19 (issue 4).

#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "checker/cluster_runner.hpp"
#include "checker/smt/prereq_solver.hpp"
#include "model/cluster/cluster_model.hpp"

namespace {

using namespace lmc;
using namespace lmc::cluster;

Config default_config() {
  ClusterSelection selection;
  std::string error;
  auto config = load_cluster_config(selection, error);
  RC_ASSERT(config.has_value());
  return *config;
}

template <class T>
std::vector<T> subset(const std::vector<T>& items) {
  std::vector<T> out;
  for (const auto& item : items) {
    if (*rc::gen::arbitrary<bool>()) out.push_back(item);
  }
  return out;
}

/// True one time in twelve: each field keeps its (valid) default otherwise,
/// so a good share of requests is possible and the rest fail a few rules.
bool perturb() {
  return *rc::gen::inRange(0, 12) == 0;
}

template <class T, class Gen>
void maybe(T& field, Gen gen) {
  if (perturb()) field = *gen;
}

/// The default cluster with the target, the VM and the occupants of the
/// target drawn at random, unvalidated, so every rule can fail.
Config random_config() {
  auto c = default_config();
  auto& target = c.sus[1];
  auto& vm = c.vms[0];
  maybe(target.memory, rc::gen::inRange(1, 16));
  maybe(target.arch, rc::gen::element(Arch::s390, Arch::x86));
  maybe(target.mode, rc::gen::element(Mode::vm2000, Mode::native));
  maybe(target.server, rc::gen::inRange(0, 2));
  maybe(target.max_vm_definitions, rc::gen::inRange(0, 4));
  maybe(target.max_vm_index, rc::gen::inRange(0, 5));
  maybe(target.rewas_version, rc::gen::element(0, 10, 20, 21));
  maybe(c.sus[0].rewas_version, rc::gen::element(0, 20));
  if (perturb()) target.devices = subset(c.sus[0].devices);
  if (perturb()) target.exclusively_used = subset(c.sus[0].devices);
  if (perturb()) target.cpu_pools = subset(std::vector<std::string>{"POOL1", "POOL2"});
  if (perturb()) target.vm_groups = subset(std::vector<std::string>{"GRP1"});
  maybe(target.config_update_running, rc::gen::arbitrary<bool>());
  maybe(target.shutdown_initiated, rc::gen::arbitrary<bool>());
  if (perturb()) {
    // Up to three extents of other guests, non-overlapping, anywhere.
    int position = *rc::gen::inRange(0, 4);
    const int extents = *rc::gen::inRange(1, 4);
    for (int e = 0; e < extents && position < target.memory; ++e) {
      const int size = *rc::gen::inRange(1, 4);
      if (position + size > target.memory) break;
      target.memory_map.push_back({position, size, "OTHER"});
      position += size + *rc::gen::inRange(0, 4);
    }
  }
  maybe(c.sus[0].config_update_running, rc::gen::arbitrary<bool>());
  maybe(c.su_clusters[0].active, rc::gen::arbitrary<bool>());
  maybe(c.isl_links, rc::gen::inRange(0, 3));
  maybe(vm.memory, rc::gen::inRange(1, 8));
  maybe(vm.index, rc::gen::inRange(0, 5));
  maybe(vm.vm_group, rc::gen::element(std::string(), std::string("GRP1")));
  maybe(vm.state,
        rc::gen::element(VmState::running, VmState::init_only, VmState::down, VmState::wait));
  maybe(vm.monitor_system, rc::gen::arbitrary<bool>());
  const int occupants = *rc::gen::inRange(0, 3);
  for (int i = 0; i < occupants; ++i) {
    Vm other = c.vms[0];  // not `vm`: push_back below may move the vector
    other.name =
        *rc::gen::element(std::string("VM12PROD"), std::string("VM30APP"), std::string("VM31APP"));
    other.su = 1;
    other.index = *rc::gen::inRange(0, 5);
    other.memory = *rc::gen::inRange(1, 4);
    other.state = VmState::running;
    other.monitor_system = false;
    c.vms.push_back(other);
  }
  return c;
}

std::vector<std::string> sorted_rules(const std::vector<Conflict>& conflicts) {
  std::vector<std::string> rules;
  for (const auto& c : conflicts) rules.push_back(c.rule_id());
  std::sort(rules.begin(), rules.end());
  return rules;
}

}  // namespace

TEST_CASE("Z3 and the model's C++ check report the same conflicts", "[properties][prereq]") {
  smt::PrereqSolver solver;  // one context and solver for every case
  rc::prop("same verdict and conflict set", [&solver] {
    const ClusterModel model(random_config(), Mutant::none);
    auto state = model.initial_states()[0];
    if (perturb()) state.su_up = 1;  // the target is down
    if (perturb()) {
      state.isl_up = static_cast<std::uint8_t>(*rc::gen::inRange(0, 4) &
                                               ((1u << model.config().isl_links) - 1));
    }
    const int others = static_cast<int>(model.config().vms.size());
    if (others > 1 && perturb()) {
      // Another VM's LM is running from the same source (P16).
      state.vm[1].owner = 0;
      state.lm[1].phase = static_cast<std::uint8_t>(Phase::memcopy);
      state.lm[1].source = 0;
      state.lm[1].target = 1;
    }
    const auto expected = lm_conflicts(model.topology(), state, 0, 1);
    const auto verdict = solver.check(model.topology(), state, 0, 1);
    RC_ASSERT(sorted_rules(verdict.conflicts) == sorted_rules(expected));
    const bool p7_holds = std::none_of(expected.begin(), expected.end(),
                                       [](const Conflict& c) { return c.rule() == Rule::P7; });
    RC_ASSERT(verdict.vm_index.has_value() == p7_holds);
    if (verdict.placement) {
      // Z3's placement really is a free contiguous piece.
      const int start = *verdict.placement;
      const int end = start + model.config().vms[0].memory;
      RC_ASSERT(start >= 0);
      RC_ASSERT(end <= model.config().sus[1].memory);
      for (const auto& e : model.config().sus[1].memory_map) {
        RC_ASSERT(end <= e.start || start >= e.start + e.size);
      }
    }
    RC_TAG(expected.empty() ? "possible" : "rejected");
  });
}
