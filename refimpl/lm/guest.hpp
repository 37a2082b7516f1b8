#pragma once
// A guest's real memory with its dirty log and the workload that writes it.
// Kept together so that addresses stay fixed (the workload points at both).

#include <cstddef>
#include <memory>

#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/memory/workload.hpp"

namespace lmc::ref {

class Guest {
 public:
  Guest(std::size_t pages, const WorkloadSpec& spec)
      : memory_(std::make_unique<GuestMemory>(pages)),
        dirty_(std::make_unique<DirtyBitmap>(pages)),
        workload_(std::make_unique<Workload>(*memory_, *dirty_, spec)) {
    workload_->fill_initial();
    dirty_->clear_all();  // logging starts with the LM, which marks every page
  }
  GuestMemory& memory() { return *memory_; }
  const GuestMemory& memory() const { return *memory_; }
  DirtyBitmap& dirty() { return *dirty_; }
  Workload& workload() { return *workload_; }

 private:
  std::unique_ptr<GuestMemory> memory_;
  std::unique_ptr<DirtyBitmap> dirty_;
  std::unique_ptr<Workload> workload_;
};

}  // namespace lmc::ref
