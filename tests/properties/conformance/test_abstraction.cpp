// The abstraction function reads the model's state off the implementation's
// real data, and the real invariants see damage the bookkeeping would hide.

#include <cstring>

#include "refimpl/lm/page_versions.hpp"
#include "tests/properties/conformance/conformance_fixture.hpp"

namespace lmc::ref::testing {

TEST_CASE("the abstract initial state is the model's on every preset", "[conformance]") {
  for (const auto& preset : cluster::preset_names()) {
    DYNAMIC_SECTION(preset) {
      Lockstep both(preset);
      CHECK(differences(project(abstract(both.driver)), project(both.state)).empty());
      CHECK(check_real_invariants(both.driver).empty());
    }
  }
}

TEST_CASE("page versions are read from the bytes, and a torn page is seen", "[conformance]") {
  std::vector<std::byte> page(kPageSize);
  page_versions::write(page, 1, 2, 7);
  CHECK(page_versions::read(page, 1, 2) == std::optional<std::uint8_t>(7));
  CHECK_FALSE(page_versions::read(page, 1, 3).has_value());  // another page's content
  page[100] = std::byte{0x55};
  CHECK_FALSE(page_versions::read(page, 1, 2).has_value());
}

TEST_CASE("differences name the variable and both values", "[conformance]") {
  cluster::State a;
  cluster::State b;
  b.vm[0].owner = 1;
  const auto diffs = differences(a, b);
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0] == "vm[0].owner: implementation 0 vs model 1");
}

TEST_CASE("project drops exactly the variables outside the comparison", "[conformance]") {
  cluster::State s;
  s.faults_left = 3;
  s.view_mu = 1;
  s.liveness_expired = 2;
  s.lm[0].verdict = 4;
  s.vm[0].writes_left = 2;
  CHECK(project(s) == project(cluster::State{}));
  for (const auto compared : {&cluster::State::mirror_stale, &cluster::State::mirror_behind}) {
    auto t = s;
    t.*compared = 2;
    CHECK_FALSE(project(t) == project(cluster::State{}));
  }
  s.cm_lease = 1;
  CHECK_FALSE(project(s) == project(cluster::State{}));
}

}  // namespace lmc::ref::testing
