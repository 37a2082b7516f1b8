// Model-level facts of the classic models, independent of any search.

#include <catch2/catch.hpp>

#include "checker/engine/model_concept.hpp"
#include "model/classic/peterson.hpp"
#include "model/classic/philosophers.hpp"
#include "model/classic/two_phase_commit.hpp"

using namespace lmc;
using namespace lmc::classic;

static_assert(Model<Peterson>);
static_assert(Model<Philosophers>);
static_assert(Model<TwoPhaseCommit>);

TEST_CASE("A philosopher cannot take a fork another holds", "[model][philosophers]") {
  Philosophers table(3, false);
  auto state = *table.next_state(table.initial_states()[0], {0, Philosophers::thinking});
  CHECK(state.fork[0] == 1);
  // Philosopher 2's second fork is fork 0, which philosopher 0 holds.
  state = *table.next_state(state, {2, Philosophers::thinking});
  CHECK_FALSE(table.next_state(state, {2, Philosophers::one_fork}).has_value());
}

TEST_CASE("The fixed table has its last philosopher reach right first", "[model][philosophers]") {
  Philosophers table(3, true);
  const auto state = *table.next_state(table.initial_states()[0], {2, Philosophers::thinking});
  CHECK(state.fork[0] == 3);
  CHECK(state.fork[2] == 0);
}

TEST_CASE("Peterson's wait blocks the victim while another competes", "[model][peterson]") {
  Peterson mutex(2, false);
  auto s = mutex.initial_states()[0];
  // Process 0 announces level 1 and becomes its victim.
  for (int i = 0; i < 3; ++i) s = *mutex.next_state(s, {0, s.pc[0]});
  CHECK(s.pc[0] == Peterson::wait);
  // Alone, it may enter.
  CHECK(mutex.next_state(s, {0, Peterson::wait})->pc[0] == Peterson::critical);
  // Once process 1 has announced level 1, process 0 (still the victim) waits.
  s = *mutex.next_state(s, {1, Peterson::idle});
  s = *mutex.next_state(s, {1, Peterson::set_level});
  CHECK_FALSE(mutex.next_state(s, {0, Peterson::wait}).has_value());
}

TEST_CASE("The transaction manager commits only with every prepared", "[model][2pc]") {
  TwoPhaseCommit tpc(2, false);
  auto s = tpc.initial_states()[0];
  const TwoPhaseCommit::Action commit{TwoPhaseCommit::tm_commit, 0};
  CHECK_FALSE(tpc.next_state(s, commit).has_value());
  for (std::uint8_t r = 0; r < 2; ++r) {
    s = *tpc.next_state(s, {TwoPhaseCommit::rm_prepare, r});
    s = *tpc.next_state(s, {TwoPhaseCommit::tm_receive_prepared, r});
  }
  CHECK(tpc.next_state(s, commit)->tm == TwoPhaseCommit::tm_committed);
  TwoPhaseCommit buggy(2, true);
  CHECK(buggy.next_state(buggy.initial_states()[0], commit).has_value());
}
