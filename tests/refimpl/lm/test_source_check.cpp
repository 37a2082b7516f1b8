// The check lmc migrate makes after an abort (refimpl/lm/source_check.hpp):
// whole after every rollback, and not whole for each thing a faulty rollback
// could leave wrong.


#include "refimpl/lm/source_check.hpp"
#include "tests/refimpl/lm/lm_fixture.hpp"

namespace lmc::ref {
namespace {

using testing::LmRun;

WorkloadSpec writing_guest() {
  WorkloadSpec spec;
  spec.dirty_pages_per_second = 50000;
  spec.seed = 11;
  return spec;
}

MigrationOptions with_fault(FaultKind kind, LmPhase phase) {
  MigrationOptions options;
  options.faults = {{kind, phase}};
  return options;
}

}  // namespace

TEST_CASE("After every abort the source is whole, its memory a replay of the guest's writes",
          "[lm][source_check]") {
  for (const auto phase : {LmPhase::setup, LmPhase::copy, LmPhase::switchover}) {
    INFO(to_string(phase));
    LmRun run("default", 256, writing_guest());
    const int source = run.installation.vm(run.vm).su;
    const auto result = run.migrate(with_fault(FaultKind::link, phase));
    REQUIRE(result.status == "$AE");
    const auto check =
        check_source_after_abort(run.installation, run.vm, source, run.target, run.guest);
    CHECK(check.whole());
    CHECK(check.memory_whole == true);
    if (phase != LmPhase::setup) CHECK(check.writes > 0);
    CHECK_THAT(check.summary(run.installation, run.vm, source), Catch::EndsWith("-> whole"));
  }
}

TEST_CASE("The source check fails for each thing a rollback could leave wrong",
          "[lm][source_check]") {
  LmRun run("default", 256, writing_guest());
  const int source = run.installation.vm(run.vm).su;
  REQUIRE(run.migrate(with_fault(FaultKind::link, LmPhase::copy)).status == "$AE");
  const auto check = [&] {
    return check_source_after_abort(run.installation, run.vm, source, run.target, run.guest);
  };
  REQUIRE(check().whole());

  SECTION("one byte of the source's memory changed") {
    run.guest.memory().data()[4096 * 17 + 5] ^= std::byte{1};
    CHECK(check().memory_whole == false);
    CHECK_FALSE(check().whole());
  }
  SECTION("one guest write lost (the memory as of one write fewer)") {
    LmRun other("default", 256, writing_guest());
    other.guest.workload().write_pages(run.guest.workload().writes() - 1);
    std::memcpy(run.guest.memory().data(), other.guest.memory().data(), run.guest.memory().bytes());
    CHECK(check().memory_whole == false);
  }
  SECTION("the guest also executes on the target") {
    run.installation.vm(run.vm).executing |= static_cast<std::uint8_t>(1u << run.target);
    CHECK_FALSE(check().runs_on_source_alone);
  }
  SECTION("the definition on the CRD names the target") {
    REQUIRE(run.installation.write_definition(run.vm, run.target));
    CHECK(check().definition_names_source == false);
    CHECK_THAT(check().summary(run.installation, run.vm, source), Catch::EndsWith("NOT whole"));
  }
}

}  // namespace lmc::ref
