#pragma once
// A guest's memory: one anonymous private mapping, page-aligned and zero-filled
// by the kernel. Pages that are never written are never backed, which is what
// makes zero pages free on the target (a zero marker for such a page needs no
// write at all).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "refimpl/core/frame.hpp"

namespace lmc::ref {

class GuestMemory {
 public:
  /// Maps `pages` pages of 4 KiB; throws std::bad_alloc when the kernel refuses.
  explicit GuestMemory(std::size_t pages);
  ~GuestMemory();
  GuestMemory(GuestMemory&& other) noexcept;
  GuestMemory& operator=(GuestMemory&& other) noexcept;
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;

  std::size_t pages() const { return pages_; }
  std::size_t bytes() const { return pages_ * kPageSize; }
  std::byte* data() { return data_; }
  const std::byte* data() const { return data_; }
  std::span<std::byte> page(std::size_t p) { return {data_ + p * kPageSize, kPageSize}; }
  std::span<const std::byte> page(std::size_t p) const {
    return {data_ + p * kPageSize, kPageSize};
  }
  /// XXH3-128 of all bytes: {low 64 bits, high 64 bits}.
  std::array<std::uint64_t, 2> digest() const;

 private:
  void unmap() noexcept;
  std::byte* data_ = nullptr;
  std::size_t pages_ = 0;
};

/// The 16 bytes a digest travels as in a reply: low then high, little-endian.
std::vector<std::byte> digest_to_bytes(const std::array<std::uint64_t, 2>& digest);
/// The inverse of digest_to_bytes; {0, 0} when `bytes` is not 16 bytes long.
std::array<std::uint64_t, 2> digest_from_bytes(std::span<const std::byte> bytes);

}  // namespace lmc::ref
