#pragma once
// Stable 64-bit hashing of state bytes. XXH3 is fast on short inputs and gives
// the same value on every run and machine, which fingerprints and golden
// counts rely on.

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace lmc {

std::uint64_t hash_bytes(const void* data, std::size_t size);

/// Hashes a state whose object representation is its value (no padding, no
/// pointers); the static_assert keeps a padded struct from hashing garbage.
template <class T>
std::uint64_t hash_object(const T& value) {
  static_assert(std::has_unique_object_representations_v<T>,
                "hash_object needs a type without padding bytes");
  return hash_bytes(&value, sizeof(T));
}

}  // namespace lmc
