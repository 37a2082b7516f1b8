#include "model/cluster/check/cluster_runner.hpp"

#include <fmt/core.h>

#include "checker/engine/check.hpp"
#include "model/cluster/cluster_model.hpp"
#include "model/cluster/prereq/prereq_table.hpp"

namespace lmc {

static_assert(Model<cluster::ClusterModel>);

CheckResult check_cluster(const cluster::Config& config, cluster::Mutant mutant,
                          const SearchOptions& options, PrereqEngine engine) {
  cluster::ClusterModel model(config, mutant);
  if (engine == PrereqEngine::model) return check(model, options);
  const auto table = std::make_shared<const smt::PrereqTable>(model);
  model.set_prerequisite_oracle([table](const cluster::State& state, int vm, int target) {
    return table->lookup(state, vm, target);
  });
  auto result = check(model, options);
  const auto stats = table->stats();
  result.notes.push_back(fmt::format(
      "prerequisites: every request's verdict from Z3: {} distinct fact vectors, {} solver "
      "queries, {:.3f} s in Z3",
      stats.entries, stats.queries, stats.seconds));
  return result;
}

std::vector<PropertyInfo> cluster_properties(const cluster::Config& config) {
  std::vector<PropertyInfo> infos;
  for (const auto& p : cluster::ClusterModel(config, cluster::Mutant::none).properties()) {
    infos.push_back({p.name, std::string(to_string(p.kind)), p.ids});
  }
  infos.push_back({"deadlock", "deadlock", ""});
  return infos;
}

}  // namespace lmc
