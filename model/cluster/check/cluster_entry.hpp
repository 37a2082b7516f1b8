#pragma once
// The cluster model as an entry of the model registry, like the classic
// models: its text parameters (preset, config, mutant, prereq), its check,
// its properties and its trace files.

#include "checker/engine/model_registry.hpp"

namespace lmc {

/// `lmc check --model cluster --param preset=NAME | config=FILE,
/// mutant=NAME, prereq=model|z3`; the command line's --preset, --config,
/// --mutant and --prereq are shorthands for them.
ModelEntry cluster_model_entry();

}  // namespace lmc
