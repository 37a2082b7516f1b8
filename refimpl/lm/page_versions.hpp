#pragma once
// Deterministic guest writes whose content says which write it was: every
// 8-byte word of a page holds (VM, page, word, version). A reader can tell a
// page's version from its bytes and whether the page is whole (every word
// of one version), which is how the conformance properties map real memory
// onto the model's page versions without trusting any bookkeeping.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace lmc::ref::page_versions {

inline constexpr std::uint64_t kMagic = 0x4C4DULL << 48;  // "LM"

inline std::uint64_t word(int vm, std::size_t page, std::size_t index, std::uint8_t version) {
  return kMagic | (std::uint64_t(index & 0xFFFF) << 24) | (std::uint64_t(vm & 0xFF) << 16) |
         (std::uint64_t(page & 0xFF) << 8) | version;
}

/// Fills `bytes` (one page) with version `version` of page `page` of `vm`.
inline void write(std::span<std::byte> bytes, int vm, std::size_t page, std::uint8_t version) {
  for (std::size_t i = 0; i * 8 < bytes.size(); ++i) {
    const auto w = word(vm, page, i, version);
    std::memcpy(bytes.data() + i * 8, &w, 8);
  }
}

/// The version a page holds, or nullopt when it is not one whole version of
/// this page of this VM (all zero, torn, or another page's content).
inline std::optional<std::uint8_t> read(std::span<const std::byte> bytes, int vm,
                                        std::size_t page) {
  std::uint64_t first = 0;
  std::memcpy(&first, bytes.data(), 8);
  const auto version = static_cast<std::uint8_t>(first & 0xFF);
  for (std::size_t i = 0; i * 8 < bytes.size(); ++i) {
    std::uint64_t w = 0;
    std::memcpy(&w, bytes.data() + i * 8, 8);
    if (w != word(vm, page, i, version)) return std::nullopt;
  }
  return version;
}

}  // namespace lmc::ref::page_versions
