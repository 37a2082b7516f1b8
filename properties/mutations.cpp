// Each mutation switch of the reference implementation (refimpl/lm/mutation.hpp)
// must make a property fail, and RapidCheck must shrink the failure to a
// short sequence (issue 6: at most 10 commands). The shrunk sequences are
// printed; the seed is fixed so they are the same on every run.

#include <rapidcheck.h>

#include <catch2/catch.hpp>
#include <functional>
#include <iostream>

#include "properties/conformance_harness.hpp"
#include "properties/guarantees.hpp"
#include "refimpl/lm/mutation.hpp"

namespace {

using namespace lmc::conformance;
using lmc::ref::Mutation;

struct MutationCase {
  Mutation mutation;
  const char* property;
  std::string preset;
  std::function<void(const std::string&)> check;
};

std::vector<MutationCase> cases() {
  return {
      {Mutation::no_reattach_on_abort, "rollback", "default", check_rollback},
      {Mutation::keep_target_reservation, "rollback", "default", check_rollback},
      {Mutation::skip_final_copy, "conformance", "default", check_conformance},
      {Mutation::resume_before_suspend, "single migration", "default", check_single_migration},
      {Mutation::no_running_lm_check, "single migration", "two-vms", check_single_migration},
      {Mutation::hand_out_held_device, "conformance", "toctou", check_conformance},
      {Mutation::free_memory_ignores_map, "conformance", "toctou", check_conformance},
  };
}

/// Runs `property` on `preset` with the mutation switched on; the failure's
/// shrunk command sequence, or nothing if the property held.
std::optional<std::vector<std::string>> find_failure(const MutationCase& c) {
  lmc::ref::set_active_mutation(c.mutation);
  rc::detail::TestParams params;
  params.seed = 20261130;
  params.maxSuccess = 2000;
  params.maxSize = 60;
  recorder().last_failure.clear();
  const auto result = rc::detail::checkTestable([&] { recorded([&] { c.check(c.preset); }); },
                                                rc::detail::TestMetadata{}, params);
  lmc::ref::set_active_mutation(Mutation::none);
  if (!result.template is<rc::detail::FailureResult>()) return std::nullopt;
  return recorder().last_failure;
}

}  // namespace

TEST_CASE("every mutation switch makes a property fail, shrunk to at most 10 commands",
          "[mutations]") {
  for (const auto& c : cases()) {
    DYNAMIC_SECTION(lmc::ref::to_string(c.mutation)) {
      const auto failure = find_failure(c);
      REQUIRE(failure.has_value());
      std::cout << lmc::ref::to_string(c.mutation) << " breaks " << c.property << " on " << c.preset
                << " in " << failure->size() << " commands:";
      for (const auto& command : *failure) std::cout << " [" << command << "]";
      std::cout << "\n";
      // An empty sequence is a failure in the initial state (the free memory
      // of an SU with a memory map is wrong before anything happens).
      CHECK(failure->size() <= 10);
    }
  }
}
