// The page symmetry of the cluster model. A VM's pages differ only in their
// version, their copy on an LM target and their dirty bit: guest writes
// offer every page, copies send every dirty page at once, and the observer
// compares every page. Permuting one VM's pages therefore maps successors
// onto successors and keeps every property (tests/model/cluster/
// test_symmetry.cpp checks both on a breadth-first prefix of every preset and
// mutant, and with three and four pages). Sorting each VM's pages picks one
// state per class.

#include <array>
#include <cstdint>

#include "model/cluster/cluster_model.hpp"

namespace lmc::cluster {

namespace {

// One page as a single sortable number; decoding it gives the page back, so
// sorting the keys is sorting the pages.
constexpr unsigned kCopyShift = 1;
constexpr unsigned kVersionShift = 9;

std::uint32_t page_key(const VmDyn& vm, const Lm& lm, int page) {
  return std::uint32_t{vm.memory[page]} << kVersionShift |
         std::uint32_t{vm.copy[page]} << kCopyShift | ((lm.dirty >> page) & 1u);
}

/// At most four keys: insertion sort, in place (std::sort on a prefix of a
/// std::array also trips GCC 12's -Warray-bounds).
void sort_keys(std::array<std::uint32_t, kMaxPages>& keys, int count) {
  for (int i = 1; i < count; ++i) {
    const std::uint32_t key = keys[i];
    int j = i;
    for (; j > 0 && keys[j - 1] > key; --j) keys[j] = keys[j - 1];
    keys[j] = key;
  }
}

}  // namespace

void ClusterModel::canonicalize(State& state) const {
  const int pages = topology_.pages();
  if (pages < 2) return;
  for (int v = 0; v < vms(); ++v) {
    auto& vm = state.vm[v];
    auto& lm = state.lm[v];
    std::array<std::uint32_t, kMaxPages> keys{};
    for (int p = 0; p < pages; ++p) keys[p] = page_key(vm, lm, p);
    sort_keys(keys, pages);
    std::uint8_t dirty = lm.dirty & static_cast<std::uint8_t>(~topology_.all_pages());
    for (int p = 0; p < pages; ++p) {
      vm.memory[p] = static_cast<std::uint8_t>(keys[p] >> kVersionShift);
      vm.copy[p] = static_cast<std::uint8_t>(keys[p] >> kCopyShift);
      dirty |= static_cast<std::uint8_t>((keys[p] & 1u) << p);
    }
    lm.dirty = dirty;
  }
}

}  // namespace lmc::cluster
