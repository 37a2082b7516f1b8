#pragma once
// The conformance state machine (issue 6): RapidCheck commands that are the
// cluster model's actions, run on the reference implementation (ClusterDriver)
// with the model's state as RapidCheck's model. After every command the
// implementation's state, mapped by the abstraction function, must equal the
// model's successor, and the invariants must hold on the real data.
//
// Two kinds of command:
//   Step      an action the model enables; the implementation must perform it
//   Refusal   an LM step or repair the model does not enable; the
//             implementation must refuse it and change nothing
// Faults and requests are never Refusals: the model disables them for the
// test's budgets, which the implementation does not have.

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/cluster/cluster_model.hpp"
#include "properties/conformance/abstraction.hpp"
#include "properties/conformance/cluster_driver.hpp"

namespace lmc::conformance {

using ModelState = cluster::State;
using Sut = ref::ClusterDriver;
using Command = rc::state::Command<ModelState, Sut>;
using CommandPtr = std::shared_ptr<const Command>;

/// The commands of the running test case, and of the last one that failed:
/// after RapidCheck has shrunk a failure, `last_failure` is the shrunk
/// sequence (the mutation tests count and print it).
struct Recorder {
  std::vector<std::string> current;
  std::vector<std::string> last_failure;
  long sequences = 0;  ///< test cases started, shrinking included
  long commands = 0;   ///< commands run on the implementation
  std::map<std::string, long> per_kind;
  void start() {
    current.clear();
    ++sequences;
  }
  void note(std::string command) {
    ++commands;
    ++per_kind[command.substr(0, command.find(' '))];
    current.push_back(std::move(command));
  }
  /// "N sequences, M commands" since the last reset, then resets.
  std::string summary_and_reset();
};
Recorder& recorder();

/// Runs `body` as one test case: starts the recorder, and keeps the
/// recorded commands when the case fails.
template <class Body>
void recorded(Body&& body) {
  recorder().start();
  try {
    body();
  } catch (const rc::detail::CaseResult& result) {
    if (result.type == rc::detail::CaseResult::Type::Failure) {
      recorder().last_failure = recorder().current;
    }
    throw;
  } catch (...) {
    recorder().last_failure = recorder().current;
    throw;
  }
}

/// A preset's configuration with budgets widened for random testing: more
/// faults of every kind, more requests, more guest writes than the
/// exhaustive checks use.
cluster::Config conformance_config(const std::string& preset);
/// Presets the conformance properties draw from (every built-in one).
std::vector<std::string> conformance_presets();

std::string describe(const cluster::ClusterModel& model, const cluster::Action& action);

class Step : public Command {
 public:
  Step(std::shared_ptr<const cluster::ClusterModel> model, cluster::Action action)
      : model_(std::move(model)), action_(action) {}
  void checkPreconditions(const ModelState& s) const override;
  void apply(ModelState& s) const override;
  void run(const ModelState& s, Sut& sut) const override;
  void show(std::ostream& os) const override;

 private:
  std::shared_ptr<const cluster::ClusterModel> model_;
  cluster::Action action_;
};

class Refusal : public Command {
 public:
  Refusal(std::shared_ptr<const cluster::ClusterModel> model, cluster::Action action)
      : model_(std::move(model)), action_(action) {}
  void checkPreconditions(const ModelState& s) const override;
  void apply(ModelState&) const override {}
  void run(const ModelState& s, Sut& sut) const override;
  void show(std::ostream& os) const override;

 private:
  std::shared_ptr<const cluster::ClusterModel> model_;
  cluster::Action action_;
};

/// Compares again without acting: the command for a state in which the
/// model enables nothing the driver implements (RapidCheck needs one).
class Observe : public Command {
 public:
  explicit Observe(std::shared_ptr<const cluster::ClusterModel> model) : model_(std::move(model)) {}
  void run(const ModelState& s, Sut& sut) const override;
  void show(std::ostream& os) const override { os << "observe"; }

 private:
  std::shared_ptr<const cluster::ClusterModel> model_;
};

/// Whether a disabled action of this kind must also be refused by the
/// implementation (LM steps and repairs: no budget involved).
bool refusal_checked(cluster::Kind kind);

/// Commands for state `s`: every enabled action the driver implements (LM
/// steps weighted up so that LMs get far), and now and then a refusal.
rc::Gen<CommandPtr> next_command(const std::shared_ptr<const cluster::ClusterModel>& model,
                                 const ModelState& s);

/// Compares the implementation with the model state `expected`; fails the
/// property with every difference and every broken real invariant.
void assert_conforms(const cluster::ClusterModel& model, const ModelState& expected, const Sut& sut,
                     const std::string& after);

/// The conformance state machine on one preset (one RapidCheck test case).
void check_conformance(const std::string& preset);

}  // namespace lmc::conformance
