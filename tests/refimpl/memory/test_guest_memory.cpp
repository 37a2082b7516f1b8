#include <catch2/catch.hpp>
#include <cstring>

#include "refimpl/memory/guest_memory.hpp"

using namespace lmc::ref;

TEST_CASE("guest memory is page-aligned, zero-filled and sized in pages", "[memory]") {
  GuestMemory m(10);
  CHECK(m.pages() == 10);
  CHECK(m.bytes() == 10 * kPageSize);
  CHECK(reinterpret_cast<std::uintptr_t>(m.data()) % kPageSize == 0);
  for (std::size_t i = 0; i < m.bytes(); ++i) REQUIRE(m.data()[i] == std::byte{0});
  CHECK(m.page(3).data() == m.data() + 3 * kPageSize);
  CHECK(m.page(3).size() == kPageSize);
}

TEST_CASE("the digest sees every byte", "[memory]") {
  GuestMemory a(4);
  GuestMemory b(4);
  CHECK(a.digest() == b.digest());
  a.page(3)[kPageSize - 1] = std::byte{1};
  CHECK(a.digest() != b.digest());
  b.page(3)[kPageSize - 1] = std::byte{1};
  CHECK(a.digest() == b.digest());
}

TEST_CASE("digest bytes round-trip", "[memory]") {
  const std::array<std::uint64_t, 2> d{0x0123456789ABCDEFull, 0xFEDCBA9876543210ull};
  const auto bytes = digest_to_bytes(d);
  REQUIRE(bytes.size() == 16);
  CHECK(bytes[0] == std::byte{0xEF});
  CHECK(digest_from_bytes(bytes) == d);
  CHECK(digest_from_bytes(std::span(bytes).first(15)) == std::array<std::uint64_t, 2>{0, 0});
}

TEST_CASE("guest memory moves", "[memory]") {
  GuestMemory a(2);
  a.page(1)[0] = std::byte{7};
  std::byte* data = a.data();
  GuestMemory b(std::move(a));
  CHECK(b.data() == data);
  CHECK(b.page(1)[0] == std::byte{7});
  CHECK(a.pages() == 0);  // NOLINT(bugprone-use-after-move): the moved-from state is defined
  GuestMemory c(1);
  c = std::move(b);
  CHECK(c.pages() == 2);
  CHECK(c.page(1)[0] == std::byte{7});
}
