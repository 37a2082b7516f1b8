#include "refimpl/lm/server_unit.hpp"

#include <algorithm>
#include <utility>

namespace lmc::ref {

ServerUnit::ServerUnit(const cluster::Su& spec, int id)
    : spec_(&spec),
      id_(id),
      outside_exclusive_(spec.exclusively_used.begin(), spec.exclusively_used.end()) {}

int ServerUnit::free_memory() const {
  int used = spec_->mapped_memory();
  for (const auto& [name, holding] : holdings_) used += holding.memory;
  return spec_->memory - used;
}

bool ServerUnit::index_free(int index) const {
  if (index < 1 || index > spec_->max_vm_index) return false;
  return std::none_of(holdings_.begin(), holdings_.end(),
                      [&](const auto& entry) { return entry.second.index == index; });
}

std::optional<int> ServerUnit::lowest_free_index() const {
  for (int index = 1; index <= spec_->max_vm_index; ++index) {
    if (index_free(index)) return index;
  }
  return std::nullopt;
}

std::optional<std::string> ServerUnit::exclusive_holder(const std::string& device) const {
  if (outside_exclusive_.count(device)) return std::string("(a VM outside the cluster)");
  for (const auto& [name, holding] : holdings_) {
    const auto& devices = holding.exclusive_devices;
    if (std::find(devices.begin(), devices.end(), device) != devices.end()) return name;
  }
  return std::nullopt;
}

bool ServerUnit::generates(const std::string& device) const {
  return std::find(spec_->devices.begin(), spec_->devices.end(), device) != spec_->devices.end();
}

bool ServerUnit::take(const Holding& holding) {
  if (holds(holding.vm) || holding.memory > free_memory() || !index_free(holding.index) ||
      definitions() >= spec_->max_vm_definitions) {
    return false;
  }
  for (const auto& device : holding.exclusive_devices) {
    if (exclusive_holder(device)) return false;
  }
  holdings_.emplace(holding.vm, holding);
  return true;
}

bool ServerUnit::give_back(const std::string& vm) {
  return holdings_.erase(vm) > 0;
}

const Holding* ServerUnit::holding(const std::string& vm) const {
  const auto it = holdings_.find(vm);
  return it == holdings_.end() ? nullptr : &it->second;
}

}  // namespace lmc::ref
