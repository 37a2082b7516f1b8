#include <catch2/catch.hpp>
#include <set>

#include "checker/engine/probe_table.hpp"

using lmc::ProbeTable;

TEST_CASE("ProbeTable inserts each key once and finds it again", "[checker][probe_table]") {
  ProbeTable table;
  auto any = [](std::uint32_t) { return true; };
  for (std::uint32_t i = 0; i < 5000; ++i) {
    const auto found = table.find_or_insert(i * 0x9e3779b97f4a7c15ULL + 7, i, any);
    REQUIRE(found.inserted);
    REQUIRE(found.local == i);
  }
  REQUIRE(table.size() == 5000);
  for (std::uint32_t i = 0; i < 5000; ++i) {
    const auto again = table.find_or_insert(i * 0x9e3779b97f4a7c15ULL + 7, 99999, any);
    REQUIRE_FALSE(again.inserted);
    REQUIRE(again.local == i);
    REQUIRE(table.find(i * 0x9e3779b97f4a7c15ULL + 7, any) == i);
  }
  REQUIRE_FALSE(table.find(12345, any).has_value());
  REQUIRE(table.capacity() * 3 >= table.size() * 4);
}

TEST_CASE("ProbeTable keeps keys that collide apart by the equality callback",
          "[checker][probe_table]") {
  ProbeTable table;
  // Same key, different "states": the callback decides they differ.
  const auto first = table.find_or_insert(42, 0, [](std::uint32_t) { return false; });
  const auto second = table.find_or_insert(42, 1, [](std::uint32_t) { return false; });
  REQUIRE(first.inserted);
  REQUIRE(second.inserted);
  const auto hit = table.find(42, [](std::uint32_t local) { return local == 1; });
  REQUIRE(hit == 1u);
}

TEST_CASE("ProbeTable stores the zero key", "[checker][probe_table]") {
  ProbeTable table;
  auto any = [](std::uint32_t) { return true; };
  REQUIRE(table.find_or_insert(0, 3, any).inserted);
  REQUIRE(table.find(0, any) == 3u);
}

TEST_CASE("TagTable finds each state by hash and equality, also when tags collide",
          "[checker][probe_table]") {
  lmc::TagTable table;
  // Keys stand for states; the callback compares the stored state's key.
  std::vector<std::uint64_t> stored;
  auto insert = [&](std::uint64_t key) {
    auto same = [&](std::uint32_t local) { return stored[local] == key; };
    const auto found = table.find_or_insert(key, static_cast<std::uint32_t>(stored.size()), same);
    if (found.inserted) stored.push_back(key);
    return found;
  };
  for (std::uint64_t i = 0; i < 5000; ++i) {
    // Every pair shares its tag bits (16..47): only equality tells them apart.
    REQUIRE(insert(i << 48 | 0x1234).inserted);
    REQUIRE(insert(i << 48 | 0x5678).inserted);
  }
  REQUIRE(table.size() == 10000);
  for (std::uint32_t local = 0; local < stored.size(); ++local) {
    const auto again = insert(stored[local]);
    REQUIRE_FALSE(again.inserted);
    REQUIRE(again.local == local);
    const auto key = stored[local];
    REQUIRE(table.find(key, [&](std::uint32_t l) { return stored[l] == key; }) == local);
  }
  REQUIRE(table.capacity() * 3 >= table.size() * 4);
}
