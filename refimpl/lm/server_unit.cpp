#include "refimpl/lm/server_unit.hpp"

#include <algorithm>
#include <utility>

#include "refimpl/lm/mutation.hpp"

namespace lmc::ref {

ServerUnit::ServerUnit(const cluster::Su& spec, int id)
    : spec_(&spec),
      id_(id),
      outside_exclusive_(spec.exclusively_used.begin(), spec.exclusively_used.end()) {}

int ServerUnit::free_memory() const {
  int used = mutated(Mutation::free_memory_ignores_map) ? 0 : spec_->mapped_memory();
  for (const auto& [vm, holding] : holdings_) used += holding.memory;
  return spec_->memory - used;
}

bool ServerUnit::index_free(int index, int except) const {
  if (index < 1 || index > spec_->max_vm_index) return false;
  return std::none_of(holdings_.begin(), holdings_.end(), [&](const auto& entry) {
    return entry.first != except && entry.second.index == index;
  });
}

std::optional<int> ServerUnit::lowest_free_index(int except) const {
  for (int index = 1; index <= spec_->max_vm_index; ++index) {
    if (index_free(index, except)) return index;
  }
  return std::nullopt;
}

std::optional<DeviceHolder> ServerUnit::device_holder(const std::string& device, bool exclusive,
                                                      int except) const {
  if (outside_exclusive_.count(device)) return DeviceHolder{true, -1};
  for (const auto& [vm, holding] : holdings_) {
    if (vm == except) continue;
    for (const auto& use : holding.devices) {
      if (use.id == device && (exclusive || use.exclusive)) return DeviceHolder{false, vm};
    }
  }
  return std::nullopt;
}

bool ServerUnit::generates(const std::string& device) const {
  return std::find(spec_->devices.begin(), spec_->devices.end(), device) != spec_->devices.end();
}

bool ServerUnit::take(const Holding& holding) {
  if (holds(holding.vm) || holding.memory > free_memory() ||
      !index_free(holding.index, holding.vm)) {
    return false;
  }
  if (!mutated(Mutation::hand_out_held_device)) {
    for (const auto& use : holding.devices) {
      if (device_holder(use.id, use.exclusive, holding.vm)) return false;
    }
  }
  holdings_.emplace(holding.vm, holding);
  return true;
}

void ServerUnit::set_devices(int vm, std::vector<DeviceUse> devices) {
  const auto it = holdings_.find(vm);
  if (it != holdings_.end()) it->second.devices = std::move(devices);
}

bool ServerUnit::give_back(int vm) {
  return holdings_.erase(vm) > 0;
}

const Holding* ServerUnit::holding(int vm) const {
  const auto it = holdings_.find(vm);
  return it == holdings_.end() ? nullptr : &it->second;
}

}  // namespace lmc::ref
