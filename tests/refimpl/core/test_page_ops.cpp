#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/core/delta_codec.hpp"
#include "refimpl/core/page_ops.hpp"

using namespace lmc::ref;

TEST_CASE("is_zero_page sees a single non-zero byte anywhere", "[transfer]") {
  GuestMemory m(1);
  CHECK(is_zero_page(m.data()));
  for (std::size_t at :
       {std::size_t{0}, std::size_t{7}, std::size_t{8}, std::size_t{2049}, kPageSize - 1}) {
    m.data()[at] = std::byte{0x10};
    CHECK_FALSE(is_zero_page(m.data()));
    m.data()[at] = std::byte{0};
  }
}

TEST_CASE("copy_pages copies whole pages from unaligned sources", "[transfer]") {
  for (std::size_t pages : {1, 3, 4, 9}) {
    std::vector<std::byte> src(pages * kPageSize + 1);
    for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<std::byte>(i * 31 + 7);
    GuestMemory dst(pages + 1);
    copy_pages(dst.data(), src.data() + 1, pages);  // +1: not even 8-byte aligned
    CHECK(std::memcmp(dst.data(), src.data() + 1, pages * kPageSize) == 0);
    CHECK(is_zero_page(dst.page(pages).data()));  // nothing past the end
  }
}

TEST_CASE("delta encoding round-trips and stays small for small changes", "[transfer]") {
  std::vector<std::byte> before(kPageSize);
  for (std::size_t i = 0; i < kPageSize; ++i) before[i] = static_cast<std::byte>(i);
  std::vector<std::byte> now = before;
  now[100] = std::byte{0xFF};
  now[101] = std::byte{0xFE};
  now[kPageSize - 1] = std::byte{0};
  std::vector<std::byte> out(kPageSize);
  const auto size = encode_delta(before, now, out);
  REQUIRE(size);
  CHECK(*size == 2 * (4 + 8));  // two records of one word each
  std::vector<std::byte> page = before;
  REQUIRE(apply_delta(page, std::span(out).first(*size)));
  CHECK(page == now);
}

TEST_CASE("delta encoding of an unchanged page is empty", "[transfer]") {
  std::vector<std::byte> page(kPageSize, std::byte{5});
  std::vector<std::byte> out(16);
  CHECK(encode_delta(page, page, out) == std::optional<std::size_t>{0});
}

TEST_CASE("delta encoding gives up when it would not fit", "[transfer]") {
  std::vector<std::byte> before(kPageSize, std::byte{0});
  std::vector<std::byte> now(kPageSize, std::byte{1});
  std::vector<std::byte> out(kPageSize / 2);
  CHECK_FALSE(encode_delta(before, now, out));
}

TEST_CASE("malformed deltas are refused", "[transfer]") {
  std::vector<std::byte> page(kPageSize);
  const auto bytes = [](std::initializer_list<int> v) {
    std::vector<std::byte> b;
    for (int x : v) b.push_back(static_cast<std::byte>(x));
    return b;
  };
  CHECK_FALSE(apply_delta(page, bytes({1, 0, 1})));           // truncated record header
  CHECK_FALSE(apply_delta(page, bytes({0, 0, 1, 0, 1, 2})));  // words missing
  CHECK_FALSE(apply_delta(page, bytes({0x00, 0x02, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})));  // past end
  CHECK_FALSE(apply_delta(page, bytes({0, 0, 0, 0})));  // empty record
  CHECK(apply_delta(page, {}));
}
