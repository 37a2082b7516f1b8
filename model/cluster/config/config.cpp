#include "model/cluster/config/config.hpp"

#include <algorithm>
#include <utility>

namespace lmc::cluster {

std::optional<int> Config::cluster_of(int su) const {
  for (std::size_t c = 0; c < su_clusters.size(); ++c) {
    if (su_clusters[c].su_a == su || su_clusters[c].su_b == su) return static_cast<int>(c);
  }
  return std::nullopt;
}

std::optional<int> Config::partner_of(int su) const {
  const auto cluster = cluster_of(su);
  if (!cluster) return std::nullopt;
  const SuCluster& pair = su_clusters[static_cast<std::size_t>(*cluster)];
  return pair.su_a == su ? pair.su_b : pair.su_a;
}

int Config::vm_index_by_name(const std::string& name) const {
  for (std::size_t v = 0; v < vms.size(); ++v) {
    if (vms[v].name == name) return static_cast<int>(v);
  }
  return -1;
}

bool detached_at_setup(const Device& device, Arch source_arch) {
  return device.kind == DeviceKind::tape || device.kind == DeviceKind::emulated_local_disk ||
         (device.kind == DeviceKind::pav_alias && source_arch == Arch::s390);
}

int Config::find_vm(const std::string& name, int su) const {
  for (std::size_t v = 0; v < vms.size(); ++v) {
    if (vms[v].name == name && vms[v].su == su) return static_cast<int>(v);
  }
  return -1;
}

int Config::vms_named(const std::string& name) const {
  return static_cast<int>(
      std::count_if(vms.begin(), vms.end(), [&](const Vm& vm) { return vm.name == name; }));
}

std::string ConfigError::to_string() const {
  // A whole-document error (e.g. an empty file) has no field to name.
  if (field.empty()) return file + ": " + message;
  return file + ": " + field + ": " + message;
}

int Su::mapped_memory() const {
  int total = 0;
  for (const auto& extent : memory_map) total += extent.size;
  return total;
}

int Su::largest_map_gap() const {
  std::vector<std::pair<int, int>> taken;
  for (const auto& e : memory_map) taken.emplace_back(e.start, e.start + e.size);
  std::sort(taken.begin(), taken.end());
  int largest = 0;
  int position = 0;
  for (const auto& [start, end] : taken) {
    largest = std::max(largest, start - position);
    position = std::max(position, end);
  }
  return std::max(largest, memory - position);
}

}  // namespace lmc::cluster
