#include "refimpl/core/delta_codec.hpp"

#include <cstdint>
#include <cstring>

#include "refimpl/core/frame.hpp"

namespace lmc::ref {
namespace {

constexpr std::size_t kWords = kPageSize / 8;
constexpr std::size_t kRecordHeader = 4;

std::uint64_t word_at(std::span<const std::byte> page, std::size_t w) {
  std::uint64_t v;
  std::memcpy(&v, page.data() + w * 8, 8);
  return v;
}

void put_u16(std::byte* p, std::size_t v) {
  p[0] = static_cast<std::byte>(v & 0xFF);
  p[1] = static_cast<std::byte>(v >> 8);
}

std::size_t get_u16(const std::byte* p) {
  return std::to_integer<std::size_t>(p[0]) | (std::to_integer<std::size_t>(p[1]) << 8);
}

}  // namespace

std::optional<std::size_t> encode_delta(std::span<const std::byte> before,
                                        std::span<const std::byte> now, std::span<std::byte> out) {
  std::size_t size = 0;
  std::size_t w = 0;
  while (w < kWords) {
    const std::size_t start = w;
    while (w < kWords && word_at(before, w) == word_at(now, w)) ++w;
    if (w == kWords) break;  // the unchanged tail needs no record
    const std::size_t skip = w - start;
    const std::size_t first = w;
    while (w < kWords && word_at(before, w) != word_at(now, w)) ++w;
    const std::size_t count = w - first;
    if (size + kRecordHeader + count * 8 > out.size()) return std::nullopt;
    put_u16(out.data() + size, skip);
    put_u16(out.data() + size + 2, count);
    size += kRecordHeader;
    for (std::size_t i = first; i < w; ++i) {
      const std::uint64_t x = word_at(before, i) ^ word_at(now, i);
      std::memcpy(out.data() + size, &x, 8);
      size += 8;
    }
  }
  return size;
}

bool apply_delta(std::span<std::byte> page, std::span<const std::byte> encoded) {
  if (page.size() != kPageSize) return false;
  std::size_t at = 0;
  std::size_t w = 0;
  while (at < encoded.size()) {
    if (encoded.size() - at < kRecordHeader) return false;
    const std::size_t skip = get_u16(encoded.data() + at);
    const std::size_t count = get_u16(encoded.data() + at + 2);
    at += kRecordHeader;
    if (count == 0 || w + skip + count > kWords || encoded.size() - at < count * 8) return false;
    w += skip;
    for (std::size_t i = 0; i < count; ++i, ++w, at += 8) {
      std::uint64_t x;
      std::uint64_t v;
      std::memcpy(&x, encoded.data() + at, 8);
      std::memcpy(&v, page.data() + w * 8, 8);
      v ^= x;
      std::memcpy(page.data() + w * 8, &v, 8);
    }
  }
  return true;
}

}  // namespace lmc::ref
