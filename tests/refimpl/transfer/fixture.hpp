#pragma once
// A source guest and a target runtime joined by the in-process channel, for
// the data plane's tests.

#include <cstring>

#include "refimpl/memory/dirty_bitmap.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/memory/workload.hpp"
#include "refimpl/transport/in_process_channel.hpp"
#include "refimpl/transport/target_runtime.hpp"

namespace lmc::ref::test {

struct Pair {
  GuestMemory source;
  DirtyBitmap dirty;
  Workload guest;
  TargetRuntime target;
  InProcessChannel channel;

  Pair(std::size_t pages, WorkloadSpec spec, int streams = 1)
      : source(pages), dirty(pages), guest(source, dirty, spec), channel(target, streams) {
    guest.fill_initial();
    dirty.clear_all();
    const Reply r = target.handle({Control::allocate, pages, {}});
    if (!r.ok) throw std::runtime_error(r.error);
  }
  /// Byte for byte, not by digest: a failure says where.
  bool target_equals_source() const {
    const GuestMemory* t = target.memory();
    return t != nullptr && t->bytes() == source.bytes() &&
           std::memcmp(t->data(), source.data(), source.bytes()) == 0;
  }
  std::size_t first_difference() const {
    for (std::size_t p = 0; p < source.pages(); ++p) {
      if (std::memcmp(target.memory()->page(p).data(), source.page(p).data(), kPageSize) != 0) {
        return p;
      }
    }
    return source.pages();
  }
};

}  // namespace lmc::ref::test
