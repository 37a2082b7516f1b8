#include "checker/engine/hash.hpp"

#include <xxhash.h>

namespace lmc {

std::uint64_t hash_bytes(const void* data, std::size_t size) {
  return XXH3_64bits(data, size);
}

}  // namespace lmc
