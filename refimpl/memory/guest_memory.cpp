#include "refimpl/memory/guest_memory.hpp"

#include <sys/mman.h>
#include <xxhash.h>

#include <cstring>
#include <new>
#include <utility>

namespace lmc::ref {

GuestMemory::GuestMemory(std::size_t pages) : pages_(pages) {
  if (pages == 0) return;
  void* p = mmap(nullptr, bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = static_cast<std::byte*>(p);
}

GuestMemory::~GuestMemory() {
  unmap();
}

GuestMemory::GuestMemory(GuestMemory&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), pages_(std::exchange(other.pages_, 0)) {}

GuestMemory& GuestMemory::operator=(GuestMemory&& other) noexcept {
  if (this != &other) {
    unmap();
    data_ = std::exchange(other.data_, nullptr);
    pages_ = std::exchange(other.pages_, 0);
  }
  return *this;
}

void GuestMemory::unmap() noexcept {
  if (data_ != nullptr) munmap(data_, bytes());
  data_ = nullptr;
}

std::array<std::uint64_t, 2> GuestMemory::digest() const {
  const XXH128_hash_t h = XXH3_128bits(data_, bytes());
  return {h.low64, h.high64};
}

std::vector<std::byte> digest_to_bytes(const std::array<std::uint64_t, 2>& digest) {
  std::vector<std::byte> out(16);
  for (int half = 0; half < 2; ++half) {
    for (int i = 0; i < 8; ++i) {
      out[half * 8 + i] = static_cast<std::byte>(digest[half] >> (8 * i));
    }
  }
  return out;
}

std::array<std::uint64_t, 2> digest_from_bytes(std::span<const std::byte> bytes) {
  std::array<std::uint64_t, 2> d{0, 0};
  if (bytes.size() != 16) return d;
  for (int half = 0; half < 2; ++half) {
    for (int i = 0; i < 8; ++i) {
      d[half] |= std::to_integer<std::uint64_t>(bytes[half * 8 + i]) << (8 * i);
    }
  }
  return d;
}

}  // namespace lmc::ref
