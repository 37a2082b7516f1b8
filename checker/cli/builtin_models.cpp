// Registers the built-in models: the cluster model (model/cluster/check/) and
// the classic ones. Each entry instantiates the search templates for its model
// type, so every model gets its own compiled hot loop.

#include "checker/cli/builtin_models.hpp"

#include "checker/engine/check.hpp"
#include "model/classic/peterson.hpp"
#include "model/classic/philosophers.hpp"
#include "model/classic/two_phase_commit.hpp"
#include "model/cluster/check/cluster_entry.hpp"

namespace lmc {
namespace {

template <class M>
std::vector<PropertyInfo> property_infos(const M& model) {
  std::vector<PropertyInfo> infos;
  for (const auto& p : model.properties()) {
    infos.push_back({p.name, std::string(to_string(p.kind)), p.ids});
  }
  infos.push_back({"deadlock", "deadlock", ""});
  return infos;
}

/// An entry whose model is built from its parameter values by `make`.
template <class Make>
ModelEntry entry(std::string name, std::string summary, std::vector<ParameterInfo> parameters,
                 Make make) {
  return ModelEntry{std::move(name), std::move(summary), std::move(parameters),
                    [make](const ParameterValues& values, const SearchOptions& options) {
                      return check(make(values), options);
                    },
                    [make](const ParameterValues& values) { return property_infos(make(values)); }};
}

std::vector<ModelEntry> make_registry() {
  using classic::Peterson;
  using classic::Philosophers;
  using classic::TwoPhaseCommit;
  std::vector<ModelEntry> models{cluster_model_entry()};
  models.push_back(entry("peterson",
                         "Peterson's mutual exclusion for n processes (filter lock); swap=1 "
                         "breaks it",
                         Peterson::parameters(), [](const ParameterValues& v) {
                           return Peterson(int(v.at("n")), v.at("swap") != 0);
                         }));
  models.push_back(entry("philosophers",
                         "dining philosophers; deadlocks unless fixed=1 (one philosopher takes "
                         "the right fork first)",
                         Philosophers::parameters(), [](const ParameterValues& v) {
                           return Philosophers(int(v.at("n")), v.at("fixed") != 0);
                         }));
  models.push_back(entry("two_phase_commit",
                         "two-phase commit as in Lamport's TwoPhase spec (288 states for n=3); "
                         "bug=1 commits too early",
                         TwoPhaseCommit::parameters(), [](const ParameterValues& v) {
                           return TwoPhaseCommit(int(v.at("n")), v.at("bug") != 0);
                         }));
  return models;
}

}  // namespace

const std::vector<ModelEntry>& builtin_models() {
  static const std::vector<ModelEntry> models = make_registry();
  return models;
}

}  // namespace lmc
