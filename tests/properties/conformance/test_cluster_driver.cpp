// The driver performs the model's actions on the implementation and refuses
// what the implementation's own guards forbid.

#include "tests/properties/conformance/conformance_fixture.hpp"

namespace lmc::ref::testing {

TEST_CASE("a whole LM in steps agrees with the model at every step", "[conformance]") {
  for (const auto* preset : {"default", "x86-local", "x86-native", "two-vms"}) {
    DYNAMIC_SECTION(preset) {
      Lockstep both(preset);
      both.run(whole_lm());
      const auto& r = both.driver.migration(0).record();
      CHECK((r.jv == "$T" || r.jv == "$TW"));
      CHECK(both.driver.installation().vm(0).su == r.target);
    }
  }
}

TEST_CASE("steps out of order are refused and change nothing", "[conformance]") {
  Lockstep both("default");
  const auto before = project(abstract(both.driver));
  for (const auto kind : {Kind::lm_start, Kind::reserve_target, Kind::copy_round, Kind::suspend,
                          Kind::resume, Kind::cleanup, Kind::abort}) {
    CHECK_FALSE(both.driver.apply(act(kind)));
  }
  CHECK(differences(project(abstract(both.driver)), before).empty());
}

TEST_CASE("units the configuration does not have are refused", "[conformance]") {
  Lockstep both("x86-local");  // no ISL-E links
  CHECK_FALSE(both.driver.apply(act(Kind::isl_down, 0)));
  CHECK_FALSE(both.driver.apply(act(Kind::su_crash, 9)));
  CHECK_FALSE(both.driver.apply(act(Kind::lm_request, 3)));
}

TEST_CASE("a cut network blocks the copy and the source aborts", "[conformance]") {
  Lockstep both("default");
  both.run({act(Kind::lm_request), act(Kind::lm_start), act(Kind::reserve_target),
            act(Kind::isl_down, 0), act(Kind::isl_down, 1)});
  CHECK_FALSE(both.driver.apply(act(Kind::copy_round)));
  both.run({act(Kind::abort)});
  const auto& r = both.driver.migration(0).record();
  CHECK(r.jv == "$AE");
  CHECK(r.cause == RollbackCause::network);
  CHECK(both.driver.migration(0).target_memory() == nullptr);
}

TEST_CASE("guest writes during the copy reach the target before the resume", "[conformance]") {
  Lockstep both("default");
  both.run({act(Kind::lm_request), act(Kind::lm_start), act(Kind::reserve_target),
            act(Kind::guest_write, 0, 1), act(Kind::copy_round), act(Kind::guest_write, 0, 0),
            act(Kind::copy_round), act(Kind::stop_io), act(Kind::final_copy),
            act(Kind::guest_write, 0, 1), act(Kind::suspend), act(Kind::hand_over),
            act(Kind::resume), act(Kind::cleanup)});
  const auto s = abstract(both.driver);
  CHECK(s.vm[0].memory[0] == 1);
  CHECK(s.vm[0].memory[1] == 2);
}

}  // namespace lmc::ref::testing
