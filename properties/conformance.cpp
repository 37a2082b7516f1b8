// The reference implementation conforms to the cluster model (issue 6):
// random sequences of the model's actions on every built-in preset, each
// compared through the abstraction function after every command.

#include <rapidcheck.h>
#include <rapidcheck/catch.h>
#include <rapidcheck/state.h>

#include <catch2/catch.hpp>
#include <iostream>

#include "properties/conformance_harness.hpp"

namespace lmc::conformance {

void check_conformance(const std::string& preset) {
  auto config = conformance_config(preset);
  auto model = std::make_shared<const cluster::ClusterModel>(config, cluster::Mutant::none);
  ref::ClusterDriver driver(config);
  const auto initial = model->initial_states().front();
  assert_conforms(*model, initial, driver, "the start");
  rc::state::check(initial, driver,
                   [model](const ModelState& s) { return next_command(model, s); });
}

}  // namespace lmc::conformance

TEST_CASE("the reference implementation conforms to the model", "[conformance]") {
  using namespace lmc::conformance;
  rc::prop("on a random preset, every command", [] {
    const auto preset = *rc::gen::elementOf(conformance_presets());
    RC_TAG(preset);
    recorded([&] { check_conformance(preset); });
  });
  std::cout << "conformance: " << recorder().summary_and_reset() << "\n";
}
