#include "properties/conformance_harness.hpp"

#include <fmt/core.h>

#include <sstream>

#include "properties/conformance/presets.hpp"

namespace lmc::conformance {
namespace {

using cluster::Kind;

}  // namespace

std::string Recorder::summary_and_reset() {
  auto text = fmt::format("{} sequences, {} commands;", sequences, commands);
  for (const auto& [kind, count] : per_kind) text += fmt::format(" {} {}", kind, count);
  sequences = commands = 0;
  per_kind.clear();
  return text;
}

Recorder& recorder() {
  static Recorder instance;
  return instance;
}

cluster::Config conformance_config(const std::string& preset) {
  try {
    return ref::widened_preset(preset);
  } catch (const std::exception& error) {
    RC_FAIL(error.what());
  }
}

std::vector<std::string> conformance_presets() {
  return cluster::preset_names();
}

std::string describe(const cluster::ClusterModel& model, const cluster::Action& action) {
  const auto kinds = model.action_kinds();
  auto text = fmt::format("{} {}", kinds[static_cast<std::size_t>(action.kind)], +action.unit);
  if (action.kind == Kind::guest_write) text += fmt::format(" page {}", +action.page);
  return text;
}

bool refusal_checked(Kind kind) {
  switch (kind) {
    case Kind::lm_start:
    case Kind::reserve_target:
    case Kind::copy_round:
    case Kind::stop_io:
    case Kind::final_copy:
    case Kind::suspend:
    case Kind::hand_over:
    case Kind::resume:
    case Kind::cleanup:
    case Kind::abort:
    case Kind::abort_nonconvergence:
    case Kind::mu_restart:
    case Kind::su_restart:
    case Kind::isl_repair:
    case Kind::disk_repair:
      return true;
    default:
      return false;
  }
}

void assert_conforms(const cluster::ClusterModel& model, const ModelState& expected, const Sut& sut,
                     const std::string& after) {
  (void)model;
  const auto diffs = ref::differences(ref::project(ref::abstract(sut)), ref::project(expected));
  const auto broken = ref::check_real_invariants(sut);
  if (diffs.empty() && broken.empty()) return;
  std::string message = "after " + after + ":";
  for (const auto& d : diffs) message += "\n  differs: " + d;
  for (const auto& b : broken) message += "\n  broken: " + b;
  RC_FAIL(message);
}

void Step::checkPreconditions(const ModelState& s) const {
  RC_PRE(model_->next_state(s, action_).has_value());
}

void Step::apply(ModelState& s) const {
  s = *model_->next_state(s, action_);
}

void Step::run(const ModelState& s, Sut& sut) const {
  const auto what = describe(*model_, action_);
  recorder().note(what);
  if (!sut.apply(action_))
    RC_FAIL("the implementation refused " + what + ", which the model enables");
  assert_conforms(*model_, *model_->next_state(s, action_), sut, what);
}

void Step::show(std::ostream& os) const {
  os << describe(*model_, action_);
}

void Refusal::checkPreconditions(const ModelState& s) const {
  RC_PRE(!model_->next_state(s, action_).has_value());
}

void Refusal::run(const ModelState& s, Sut& sut) const {
  const auto what = describe(*model_, action_);
  recorder().note("refuse " + what);
  if (sut.apply(action_))
    RC_FAIL("the implementation performed " + what + ", which the model does not enable");
  assert_conforms(*model_, s, sut, "refusing " + what);
}

void Refusal::show(std::ostream& os) const {
  os << "refuse " << describe(*model_, action_);
}

void Observe::run(const ModelState& s, Sut& sut) const {
  recorder().note("observe");
  assert_conforms(*model_, s, sut, "observing");
}

rc::Gen<CommandPtr> next_command(const std::shared_ptr<const cluster::ClusterModel>& model,
                                 const ModelState& s) {
  std::vector<cluster::Action> all;
  model->unfiltered_actions(s, all);
  std::vector<CommandPtr> steps;
  std::vector<CommandPtr> refusals;
  for (const auto& action : all) {
    if (!Sut::implements(action.kind)) continue;
    if (model->next_state(s, action)) {
      const int weight = cluster::is_lm_action(action.kind) ? 4 : 1;
      for (int i = 0; i < weight; ++i) steps.push_back(std::make_shared<Step>(model, action));
    } else if (refusal_checked(action.kind)) {
      refusals.push_back(std::make_shared<Refusal>(model, action));
    }
  }
  if (steps.empty() && refusals.empty()) {
    return rc::gen::just<CommandPtr>(std::make_shared<Observe>(model));
  }
  if (steps.empty()) return rc::gen::elementOf(refusals);
  if (refusals.empty()) return rc::gen::elementOf(steps);
  return rc::gen::weightedOneOf<CommandPtr>(
      {{12, rc::gen::elementOf(steps)}, {1, rc::gen::elementOf(refusals)}});
}

}  // namespace lmc::conformance
