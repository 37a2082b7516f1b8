#pragma once
// The models built into `lmc check --model NAME`: the cluster model (first,
// the default) and the classic ones (model/classic/), each with its own
// compiled search.

#include <vector>

#include "checker/engine/model_registry.hpp"

namespace lmc {

const std::vector<ModelEntry>& builtin_models();

}  // namespace lmc
