#pragma once
// hash_object (hash.hpp) for a model's hot path: XXH3 compiled at the call
// site, where the state's length is a constant, so its branches on the
// length are resolved at compile time and no library call is made. XXH3's
// output is fixed by its specification since xxHash 0.8.0, so the value is
// exactly hash_object's (tests/model/cluster/test_fast_paths.cpp checks it).
// Include it in one .cpp file, not in headers: it pulls in all of xxhash.h.

#include <cstdint>
#include <type_traits>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lmc {

template <class T>
std::uint64_t hash_object_inline(const T& value) {
  static_assert(std::has_unique_object_representations_v<T>,
                "hash_object_inline needs a type without padding bytes");
  return XXH3_64bits(&value, sizeof(T));
}

}  // namespace lmc
