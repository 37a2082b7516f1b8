#include <xxhash.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "refimpl/core/compression.hpp"
#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/transport/channel.hpp"
#include "refimpl/transport/in_process_channel.hpp"
#include "refimpl/transport/target_runtime.hpp"

using namespace lmc::ref;

namespace {

FrameHeader frame(FrameKind kind, std::uint64_t first, std::uint32_t count, std::size_t payload) {
  FrameHeader h;
  h.kind = kind;
  h.first_page = first;
  h.page_count = count;
  h.payload_bytes = static_cast<std::uint32_t>(payload);
  return h;
}

std::vector<std::byte> pattern(std::size_t pages, int seed) {
  std::vector<std::byte> v(pages * kPageSize);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::byte>((i / 8 + seed) % 251);
  return v;
}

Reply allocate(TargetRuntime& t, std::uint64_t pages) {
  return t.handle({Control::allocate, pages, {}});
}

}  // namespace

TEST_CASE("target: allocate, pages, zero pages, digest, resume, release", "[transport]") {
  TargetRuntime t;
  CHECK(t.memory() == nullptr);
  REQUIRE(allocate(t, 8).ok);
  REQUIRE(t.memory() != nullptr);
  CHECK(t.memory()->pages() == 8);
  const auto data = pattern(3, 1);
  t.apply(frame(FrameKind::pages, 2, 3, data.size()), data);
  CHECK(std::memcmp(t.memory()->page(2).data(), data.data(), data.size()) == 0);
  t.apply(frame(FrameKind::zero_pages, 3, 1, 0), {});  // a written page: zeroed
  for (std::byte b : t.memory()->page(3)) REQUIRE(b == std::byte{0});
  t.apply(frame(FrameKind::zero_pages, 6, 2, 0), {});  // never written: nothing to do
  const Reply d = t.handle({Control::digest, 0, {}});
  CHECK(d.ok);
  CHECK(digest_from_bytes(d.data) == t.memory()->digest());
  REQUIRE(t.handle({Control::cpu_state, 0, {std::byte{1}, std::byte{2}}}).ok);
  CHECK(t.cpu_state().size() == 2);
  CHECK_FALSE(t.resumed());
  const Reply r = t.handle({Control::resume, 0, {}});
  CHECK(r.ok);
  CHECK(t.resumed());
  CHECK(r.data == d.data);
  CHECK(t.handle({Control::release, 0, {}}).ok);
  CHECK(t.memory() == nullptr);
  CHECK_FALSE(t.resumed());
  CHECK(t.cpu_state().empty());
}

TEST_CASE("target: compressed and delta frames", "[transport]") {
  TargetRuntime t;
  REQUIRE(allocate(t, 4).ok);
  const auto data = pattern(2, 3);
  for (Codec codec : {Codec::lz4, Codec::zstd}) {
    Compressor c(codec);
    std::vector<std::byte> packed(Compressor::bound(codec, data.size()));
    const auto size = c.compress(data, packed);
    REQUIRE(size);
    FrameHeader h = frame(FrameKind::compressed_pages, 1, 2, *size);
    h.codec = codec;
    t.handle({Control::release, 0, {}});
    REQUIRE(allocate(t, 4).ok);
    t.apply(h, std::span(packed).first(*size));
    CHECK(std::memcmp(t.memory()->page(1).data(), data.data(), data.size()) == 0);
  }
  // A delta: XOR the second word of page 0 with 0xFF.
  std::vector<std::byte> delta{std::byte{1},
                               std::byte{0},
                               std::byte{1},
                               std::byte{0},
                               std::byte{0xFF},
                               {},
                               {},
                               {},
                               {},
                               {},
                               {},
                               {}};
  t.apply(frame(FrameKind::delta_page, 0, 1, delta.size()), delta);
  CHECK(t.memory()->page(0)[8] == std::byte{0xFF});
}

TEST_CASE("target: faults refuse allocate and resume with a reason", "[transport]") {
  TargetRuntime no_memory(TargetFaults{.fail_allocation = true});
  const Reply a = allocate(no_memory, 4);
  CHECK_FALSE(a.ok);
  CHECK(a.error.find("allocation failed") != std::string::npos);
  CHECK(no_memory.memory() == nullptr);

  TargetRuntime no_resume(TargetFaults{.fail_resume = true});
  REQUIRE(allocate(no_resume, 4).ok);
  const Reply r = no_resume.handle({Control::resume, 0, {}});
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("resume failed") != std::string::npos);
  CHECK_FALSE(no_resume.resumed());
}

TEST_CASE("target: requests that need memory refuse without it", "[transport]") {
  TargetRuntime t;
  CHECK_FALSE(t.handle({Control::digest, 0, {}}).ok);
  CHECK_FALSE(t.handle({Control::resume, 0, {}}).ok);
  CHECK_FALSE(t.handle({Control::cpu_state, 0, {}}).ok);
  CHECK(t.handle({Control::release, 0, {}}).ok);  // nothing held: still fine
  REQUIRE(allocate(t, 1).ok);
  CHECK_FALSE(allocate(t, 1).ok);  // twice
}

TEST_CASE("target: malformed frames are rejected", "[transport]") {
  TargetRuntime t;
  const auto page = pattern(1, 0);
  CHECK_THROWS_AS(t.apply(frame(FrameKind::pages, 0, 1, kPageSize), page), TransportError);
  REQUIRE(allocate(t, 4).ok);
  auto bad = [&](FrameHeader h, std::span<const std::byte> payload) {
    CHECK_THROWS_AS(t.apply(h, payload), TransportError);
  };
  bad(frame(FrameKind::pages, 4, 1, kPageSize), page);                  // past the end
  bad(frame(FrameKind::pages, 3, 2, kPageSize), page);                  // runs past the end
  bad(frame(FrameKind::pages, ~std::uint64_t{0}, 1, kPageSize), page);  // overflow
  bad(frame(FrameKind::pages, 0, 0, 0), {});                            // no pages
  bad(frame(FrameKind::pages, 0, 2, kPageSize), page);                  // payload too short
  bad(frame(FrameKind::pages, 0, 1, 100), page);             // header disagrees with payload
  bad(frame(FrameKind::zero_pages, 0, 1, kPageSize), page);  // zero pages with bytes
  bad(frame(FrameKind::delta_page, 0, 2, 0), {});            // delta of two pages
  bad(frame(FrameKind::control, 0, 1, 0), {});               // not a page frame
  FrameHeader magic = frame(FrameKind::pages, 0, 1, kPageSize);
  magic.magic = 0;
  bad(magic, page);
  FrameHeader lz4 = frame(FrameKind::compressed_pages, 0, 1, 16);
  lz4.codec = Codec::lz4;
  bad(lz4, std::span(page).first(16));  // does not decompress to a page
  FrameHeader none = frame(FrameKind::compressed_pages, 0, 1, 16);
  bad(none, std::span(page).first(16));  // no codec
}

TEST_CASE("target: checksums are verified when present", "[transport]") {
  TargetRuntime t;
  REQUIRE(allocate(t, 1).ok);
  auto page = pattern(1, 2);
  FrameHeader h = frame(FrameKind::pages, 0, 1, kPageSize);
  h.checksum = XXH3_64bits(page.data(), page.size());
  CHECK_NOTHROW(t.apply(h, page));
  page[100] ^= std::byte{1};
  CHECK_THROWS_WITH(t.apply(h, page), Catch::Contains("checksum"));
  // A rejected frame, not a broken link: the LM names it as such.
  CHECK_THROWS_AS(t.apply(h, page), TargetRejected);
  CHECK_THROWS_WITH(t.apply(h, page),
                    Catch::StartsWith("the target rejected a frame: checksum mismatch"));
}

TEST_CASE("target: dump writes the memory to a file", "[transport]") {
  TargetRuntime t;
  REQUIRE(allocate(t, 2).ok);
  const auto data = pattern(2, 4);
  t.apply(frame(FrameKind::pages, 0, 2, data.size()), data);
  const std::string path = "lmc_target_dump_test.bin";
  const std::vector<std::byte> name(reinterpret_cast<const std::byte*>(path.data()),
                                    reinterpret_cast<const std::byte*>(path.data()) + path.size());
  REQUIRE(t.handle({Control::dump, 0, name}).ok);
  std::ifstream in(path, std::ios::binary);
  std::vector<char> read((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  REQUIRE(read.size() == data.size());
  CHECK(std::memcmp(read.data(), data.data(), data.size()) == 0);
  const std::string nowhere = "/nonexistent-dir/x.bin";
  const std::vector<std::byte> bad(
      reinterpret_cast<const std::byte*>(nowhere.data()),
      reinterpret_cast<const std::byte*>(nowhere.data()) + nowhere.size());
  CHECK_FALSE(t.handle({Control::dump, 0, bad}).ok);
}

TEST_CASE("in-process channel: streams, sync frames and requests", "[transport]") {
  TargetRuntime t;
  InProcessChannel channel(t, 2);
  CHECK(channel.streams() == 2);
  REQUIRE(channel.request({Control::allocate, 2, {}}).ok);
  const auto page = pattern(1, 5);
  FrameHeader h = frame(FrameKind::pages, 1, 1, kPageSize);
  h.stream = 1;
  channel.send(h, page);
  h.stream = 2;
  CHECK_THROWS_AS(channel.send(h, page), TransportError);
  FrameHeader sync;
  sync.kind = FrameKind::sync;
  CHECK_NOTHROW(channel.send(sync, {}));
  CHECK(std::memcmp(t.memory()->page(1).data(), page.data(), kPageSize) == 0);
  CHECK_THROWS_AS(InProcessChannel(t, 0), std::invalid_argument);
}
