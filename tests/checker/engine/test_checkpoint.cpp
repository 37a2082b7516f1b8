#include <catch2/catch.hpp>
#include <sstream>

#include "checker/engine/checkpoint.hpp"
#include "checker/engine/chunked_vector.hpp"
#include "checker/engine/probe_table.hpp"

using namespace lmc;

TEST_CASE("stores survive a checkpoint round trip", "[checkpoint]") {
  ChunkedVector<std::uint64_t, 4> values;  // chunks of 16: several, the last partial
  WordArena<4> records(3);
  TagTable tags;
  for (std::uint64_t i = 0; i < 50; ++i) {
    values.push_back(i * i);
    const std::uint64_t words[3] = {i, i + 1, ~i};
    records.push_back(words);
    tags.find_or_insert(i * 0x9E3779B97F4A7C15ull, static_cast<std::uint32_t>(i),
                        [](std::uint32_t) { return false; });
  }
  std::stringstream file;
  BinaryWriter out(file);
  write_checkpoint_header(out, "identity");
  values.save(out);
  records.save(out);
  tags.save(out);

  BinaryReader in(file, "test");
  read_checkpoint_header(in, "identity");
  ChunkedVector<std::uint64_t, 4> values2;
  WordArena<4> records2(3);
  TagTable tags2;
  values2.load(in);
  records2.load(in);
  tags2.load(in);
  REQUIRE(values2.size() == 50);
  REQUIRE(records2.size() == 50);
  for (std::uint64_t i = 0; i < 50; ++i) {
    CHECK(values2[i] == i * i);
    const std::uint64_t words[3] = {i, i + 1, ~i};
    CHECK(records2.equal(i, words));
    const auto found =
        tags2.find(i * 0x9E3779B97F4A7C15ull, [&](std::uint32_t local) { return local == i; });
    CHECK(found == std::optional<std::uint32_t>(static_cast<std::uint32_t>(i)));
  }
  CHECK(tags2.size() == 50);
}

TEST_CASE("a checkpoint of another search, or a cut one, is refused", "[checkpoint]") {
  std::stringstream file;
  BinaryWriter out(file);
  write_checkpoint_header(out, "search A");
  ChunkedVector<std::uint64_t, 4> values;
  for (std::uint64_t i = 0; i < 40; ++i) values.push_back(i);
  values.save(out);
  const std::string whole = file.str();
  {
    std::stringstream copy(whole);
    BinaryReader in(copy, "ck");
    CHECK_THROWS_WITH(read_checkpoint_header(in, "search B"),
                      Catch::Contains("written by another search (search A)"));
  }
  {
    std::stringstream cut(whole.substr(0, whole.size() - 9));
    BinaryReader in(cut, "ck");
    read_checkpoint_header(in, "search A");
    ChunkedVector<std::uint64_t, 4> loaded;
    CHECK_THROWS_WITH(loaded.load(in), Catch::Contains("cut short or damaged"));
  }
  {
    std::stringstream junk(std::string(64, 'x'));
    BinaryReader in(junk, "ck");
    CHECK_THROWS_WITH(read_checkpoint_header(in, "search A"),
                      Catch::Contains("not an lmc checkpoint"));
  }
}
