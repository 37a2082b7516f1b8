// A debugging aid, not part of the test suite: explores the cluster model
// breadth-first (every reachable state, whatever the properties say) and
// prints one line per state in the format of dump_state() in
// spec/promela/cluster_default.pml, so that the two reachable sets can be
// compared with sort and comm. tests/spin/compare_state_sets.sh builds and
// runs it.
//
//   dump_cluster_states CONFIG.json  >  lines   (the state count on stderr)
//
// States are told apart by all their bytes; the lines show only what the
// Promela encoding stores, so fewer distinct lines than states means the
// encoding drops a field that matters.

#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/cluster/cluster_model.hpp"

using namespace lmc::cluster;

namespace {

std::string line(const State& s, int vms, int pages) {
  std::ostringstream o;
  auto n = [&o](int value) { o << ' ' << value; };
  o << s.mirror_failed;
  for (int value :
       {int(s.mirror_stale), int(s.mirror_behind), int(s.mu_up), int(s.su_up), int(s.isl_up),
        int(s.faults_left), int(s.requests_left), int(s.cm_role), int(s.cm_lease), int(s.view_mu),
        int(s.view_su), int(s.view_isl), int(s.view_crd_degraded), int(s.stale_read),
        int(s.milestones), int(s.liveness_expired)})
    n(value);
  o << " |";
  n(s.free_memory[0]);
  n(s.free_memory[1]);
  for (int v = 0; v < vms; ++v) {
    const auto& d = s.vm[v];
    const auto& l = s.lm[v];
    o << " |";
    for (int value : {d.owner, d.state, d.exec, d.resident, d.attached, d.target_devices,
                      d.writes_left, d.guest_jv, d.migrations})
      n(value);
    o << " m";
    for (int p = 0; p < pages; ++p) n(d.memory[p]);
    o << " c";
    for (int p = 0; p < pages; ++p) n(d.copy[p]);
    o << " L";
    for (int value : {l.phase, l.jv, l.source, l.target, l.round, l.dirty, l.detached, l.cause,
                      l.abort_phase, l.snapshot_state, l.snapshot_attached})
      n(value);
    o << " v" << int(l.verdict);
  }
  return o.str();
}

std::string bytes(const State& s) {
  return std::string(reinterpret_cast<const char*>(&s), sizeof s);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CONFIG.json\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  ConfigError error;
  auto config = parse_config(text.str(), argv[1], error);
  if (!config) {
    std::fprintf(stderr, "%s\n", error.to_string().c_str());
    return 2;
  }
  const int vms = static_cast<int>(config->vms.size());
  const int pages = config->scope.pages_per_vm;
  ClusterModel model(*config, Mutant::none);
  std::unordered_set<std::string> seen;
  std::deque<State> queue;
  for (const auto& s : model.initial_states()) {
    if (seen.insert(bytes(s)).second) queue.push_back(s);
  }
  std::vector<Action> actions;
  while (!queue.empty()) {
    const State s = queue.front();
    queue.pop_front();
    std::printf("%s\n", line(s, vms, pages).c_str());
    actions.clear();
    model.actions(s, actions);
    for (const auto& a : actions) {
      if (auto next = model.next_state(s, a); next && seen.insert(bytes(*next)).second) {
        queue.push_back(*next);
      }
    }
  }
  std::fprintf(stderr, "%zu states\n", seen.size());
}
