#include <catch2/catch.hpp>
#include <string>

#include "model/cluster/review/fault_catalogue.hpp"
#include "tests/model/cluster/cluster_fixture.hpp"

using namespace lmc;

namespace {

int outcome_index(const std::string& code) {
  const auto& codes = review::outcome_codes();
  for (int o = 0; o < review::kOutcomes; ++o) {
    if (code == codes[o]) return o;
  }
  FAIL("no outcome " << code);
  return -1;
}

int fault_index(const review::Catalogue& cat, const std::string& kind) {
  for (int f = 0; f < review::kFaultKinds; ++f) {
    if (cat.fault_kinds[f] == kind) return f;
  }
  FAIL("no fault kind " << kind);
  return -1;
}

/// Outcomes a fault alone leads to, as codes.
std::vector<std::string> alone(const review::Catalogue& cat, const std::string& kind, int phase) {
  std::vector<std::string> out;
  const auto& cell = cat.cell(fault_index(cat, kind), phase);
  for (int o = 0; o < review::kOutcomes; ++o) {
    if (cell.witnesses[o]) out.push_back(review::outcome_codes()[o]);
  }
  return out;
}

review::Catalogue default_catalogue() {
  const auto config = testing::load_preset_config("default");
  const cluster::ClusterModel model(config, cluster::Mutant::none);
  SearchOptions options;
  options.progress_interval_seconds = 0;
  TraceFile source;
  source.preset = "default";
  return review::build_catalogue(model, options, source);
}

/// Replays `trace` on the model, independently of the tagged search: the
/// first fault during an LM must be of `fault` in `phase`, followed by
/// further faults exactly when `more`, and the LM must end as `outcome`.
void check_witness(const cluster::ClusterModel& model, const TraceFile& trace, int fault, int phase,
                   int outcome, bool more) {
  const auto actions = trace_actions(trace, model);
  auto state = model.initial_states().front();
  int tagged = -1;
  int tagged_phase = -1;
  bool later = false;
  auto wp_phase = [](const cluster::Lm& lm) {
    using P = cluster::Phase;
    const auto p = static_cast<P>(lm.phase);
    if (p == P::accepted || p == P::setup) return 0;
    if (p == P::memcopy || p == P::io_stopped || p == P::final_copied) return 1;
    if (p == P::suspended || p == P::handed_over) return 2;
    return p == P::committed ? 3 : -1;
  };
  for (const auto& a : actions) {
    const bool is_fault = static_cast<int>(a.kind) < review::kFaultKinds;
    if (is_fault && tagged >= 0) later = true;
    if (is_fault && tagged < 0 && wp_phase(state.lm[0]) >= 0) {
      tagged = static_cast<int>(a.kind);
      tagged_phase = wp_phase(state.lm[0]);
    }
    auto next = model.next_state(state, a);
    REQUIRE(next);
    state = *next;
  }
  CHECK(tagged == fault);
  CHECK(tagged_phase == phase);
  CHECK(later == more);
  const auto& lm = state.lm[0];
  if (outcome < 6) {
    CHECK(lm.jv == static_cast<std::uint8_t>(cluster::Jv::aborted_AE));
    CHECK(lm.cause == outcome + 1);
  } else if (outcome < 8) {
    CHECK(lm.jv == static_cast<std::uint8_t>(outcome == 6 ? cluster::Jv::ended_T
                                                          : cluster::Jv::ended_warning_TW));
  }
}

}  // namespace

TEST_CASE("the default preset's catalogue: what each fault alone leads to", "[review][catalogue]") {
  const auto cat = default_catalogue();
  REQUIRE(cat.complete);
  // An allocation failure exists only in the setup, a failed resume only at
  // the switchover, and each aborts the LM for its own cause.
  CHECK(alone(cat, "reserve_fails", 0) == std::vector<std::string>{"AE:res"});
  CHECK_FALSE(cat.cell(fault_index(cat, "reserve_fails"), 1).any());
  CHECK(alone(cat, "resume_fails", 2) == std::vector<std::string>{"AE:resume"});
  CHECK_FALSE(cat.cell(fault_index(cat, "resume_fails"), 0).any());
  // A crashed SU before the commit point always aborts the LM (A2).
  for (int phase = 0; phase < 3; ++phase) {
    const auto outcomes = alone(cat, "su_crash", phase);
    CHECK(outcomes == std::vector<std::string>{"AE:target", "AE:source"});
  }
  // After the commit point nothing is rolled back: the LM completes.
  for (const auto* kind : {"mu_crash", "su_crash", "isl_down", "disk_fail"}) {
    CHECK(alone(cat, kind, 3) == std::vector<std::string>{"TW"});
  }
  // The network break aborts for its own cause only when it is the ISL-E.
  CHECK(cat.cell(fault_index(cat, "isl_down"), 1).witnesses[outcome_index("AE:net")]);
  CHECK_FALSE(cat.cell(fault_index(cat, "mu_crash"), 1).witnesses[outcome_index("AE:net")]);
  // Nothing is ever blocked in this scope (L1 holds).
  for (const auto& cell : cat.cells) {
    CHECK_FALSE(cell.witnesses[outcome_index("blocked")]);
  }
}

TEST_CASE("every witness of the catalogue replays to its claim", "[review][catalogue]") {
  const auto config = testing::load_preset_config("default");
  const cluster::ClusterModel model(config, cluster::Mutant::none);
  const auto cat = default_catalogue();
  int checked = 0;
  for (const auto& cell : cat.cells) {
    for (int o = 0; o < review::kOutcomes; ++o) {
      if (cell.witnesses[o]) {
        check_witness(model, *cell.witnesses[o], cell.fault, cell.phase, o, false);
        ++checked;
      }
      if (cell.with_more_faults[o]) {
        CHECK_FALSE(cell.witnesses[o]);  // kept only where the fault alone does not suffice
        check_witness(model, *cell.with_more_faults[o], cell.fault, cell.phase, o, true);
        ++checked;
      }
    }
  }
  CHECK(checked > 30);
}
