#include "checker/smt/prereq_table.hpp"

#include <chrono>

#include "checker/smt/prereq_solver.hpp"

namespace lmc::smt {
namespace {

using namespace cluster;

constexpr VmState kRequestable[] = {VmState::running, VmState::init_only, VmState::down,
                                    VmState::wait};

bool lm_running_from(const State& s, int vms, int source) {
  for (int w = 0; w < vms; ++w) {
    if (is_active(s.lm[w]) && s.lm[w].source == source) return true;
  }
  return false;
}

}  // namespace

std::uint64_t PrereqTable::key(const State& s, int vm, int target) const {
  const auto& c = model_->config();
  const int vms = static_cast<int>(c.vms.size());
  const int source = s.vm[vm].owner;
  std::uint64_t k = static_cast<std::uint64_t>(vm);
  k = k << 3 | static_cast<std::uint64_t>(target);
  k = k << 8 | static_cast<std::uint8_t>(s.free_memory[target]);
  k = k << 1 | static_cast<std::uint64_t>(model_->topology().su_reachable(s, source, target));
  k = k << 1 | static_cast<std::uint64_t>(lm_running_from(s, vms, source));
  k = k << 3 | s.vm[vm].state;
  for (int w = 0; w < vms; ++w) k = k << 3 | s.vm[w].owner;
  return k;
}

PrereqTable::PrereqTable(const ClusterModel& model) : model_(&model) {
  const auto start = std::chrono::steady_clock::now();
  PrereqSolver solver;  // one context and solver for every query
  const auto& c = model.config();
  const int vms = static_cast<int>(c.vms.size());
  const int sus = static_cast<int>(c.sus.size());
  const auto initial = model.initial_states()[0];
  // Every assignment of definition owners, then every value of the facts.
  const auto combinations = [&] {
    int n = 1;
    for (int w = 0; w < vms; ++w) n *= sus;
    return n;
  }();
  for (int combo = 0; combo < combinations; ++combo) {
    State base = initial;
    for (int w = 0, rest = combo; w < vms; ++w, rest /= sus)
      base.vm[w].owner = static_cast<std::uint8_t>(rest % sus);
    for (int v = 0; v < vms; ++v) {
      const auto target = c.partner_of(base.vm[v].owner);
      if (!target) continue;
      for (int memory = 0; memory <= c.sus[*target].memory; ++memory) {
        for (bool reachable : {true, false}) {
          for (bool running : {false, true}) {
            if (running && vms < 2) continue;
            for (VmState state : kRequestable) {
              State s = base;
              s.free_memory[*target] = static_cast<std::int8_t>(memory);
              if (!reachable) s.su_up &= static_cast<std::uint8_t>(~(1u << *target));
              if (running) {
                const int other = v == 0 ? 1 : 0;
                s.lm[other].phase = static_cast<std::uint8_t>(Phase::memcopy);
                s.lm[other].source = base.vm[v].owner;
              }
              s.vm[v].state = static_cast<std::uint8_t>(state);
              auto verdict = solver.check(model.topology(), s, v, *target);
              stats_.queries += verdict.queries;
              table_.emplace(key(s, v, *target), std::move(verdict.conflicts));
            }
          }
        }
      }
    }
  }
  stats_.entries = table_.size();
  stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<Conflict> PrereqTable::lookup(const State& state, int vm, int target) const {
  const auto found = table_.find(key(state, vm, target));
  if (found != table_.end()) return found->second;
  misses_->fetch_add(1, std::memory_order_relaxed);
  return lm_conflicts(model_->topology(), state, vm, target);
}

}  // namespace lmc::smt
