// The CRD's mirror protocol (C5, I9, CH-1): every write reaches every
// accessible up-to-date mirror, a mirror that misses one is stale and never
// read until resynchronised, and nothing changes when no mirror can be written.

#include <algorithm>

#include "refimpl/cluster/crd.hpp"
#include "tests/refimpl/cluster/cluster_fixture.hpp"

namespace lmc::ref {
namespace {

using testing::TempDir;

const std::vector<std::string> kThree = {"external-1", "external-2", "internal-mu"};

TEST_CASE("CRD: what is written is read back, overwritten and erased", "[crd]") {
  TempDir dir("rw");
  Crd crd(dir.path(), kThree);
  CHECK(crd.available());
  CHECK_FALSE(crd.read_text("vm/A/definition"));
  REQUIRE(crd.write_text("vm/A/definition", "owner=ABGSU701 index=2"));
  REQUIRE(crd.write_text("vm/B/definition", "owner=ABGSU702 index=3"));
  REQUIRE(crd.write_text("cm/lease", "abgwhite"));
  CHECK(crd.read_text("vm/A/definition") == "owner=ABGSU701 index=2");
  REQUIRE(crd.write_text("vm/A/definition", "owner=ABGSU702 index=2"));
  CHECK(crd.read_text("vm/A/definition") == "owner=ABGSU702 index=2");
  CHECK(crd.keys("vm/") == std::vector<std::string>{"vm/A/definition", "vm/B/definition"});
  REQUIRE(crd.erase("vm/B/definition"));
  CHECK_FALSE(crd.read_text("vm/B/definition"));
  CHECK(crd.erase("vm/never-there"));  // a write all the same
  CHECK(crd.keys("vm/") == std::vector<std::string>{"vm/A/definition"});
  CHECK(crd.generation() == 6);
  const std::vector<std::byte> binary = {std::byte{0}, std::byte{0xFF}, std::byte{7}};
  REQUIRE(crd.write("raw", binary));
  CHECK(crd.read("raw") == binary);
  for (const auto& mirror : crd.status()) {
    CHECK(mirror.generation == 7);
    CHECK_FALSE(mirror.stale);
  }
  CHECK(crd.verify().empty());
}

TEST_CASE("CRD: a failed mirror misses writes, is stale and never read until resynced", "[crd]") {
  TempDir dir("stale");
  Crd crd(dir.path(), kThree);
  REQUIRE(crd.write_text("key", "old"));
  crd.fail(1);
  CHECK_FALSE(crd.status(1).stale);  // stale only once it misses a write
  REQUIRE(crd.write_text("key", "new"));
  auto mirror = crd.status(1);
  CHECK_FALSE(mirror.accessible);
  CHECK(mirror.stale);
  CHECK(mirror.generation == 1);
  CHECK(crd.read_text("key") == "new");

  crd.repair(1);
  CHECK(crd.status(1).accessible);
  CHECK(crd.status(1).stale);  // repair does not make it up to date
  // With the up-to-date mirrors gone only the stale one is left: it holds
  // "old" and must not be read, nor written.
  crd.fail(0);
  crd.fail(2);
  CHECK_FALSE(crd.available());
  CHECK_FALSE(crd.read_text("key"));
  CHECK(crd.keys("").empty());
  CHECK_FALSE(crd.write_text("key", "lost"));
  CHECK_FALSE(crd.resync(1));  // no source to copy from
  crd.repair(2);
  CHECK(crd.read_text("key") == "new");

  REQUIRE(crd.resync(1));
  CHECK_FALSE(crd.status(1).stale);
  CHECK(crd.status(1).generation == crd.generation());
  crd.repair(0);
  CHECK(crd.verify().empty());
  // The copy really holds the data: read it with the other two failed.
  crd.fail(0);
  crd.fail(2);
  CHECK(crd.read_text("key") == "new");
  CHECK_FALSE(crd.resync(1));  // already up to date
}

TEST_CASE("CRD: with every mirror failed a write returns false and changes nothing", "[crd]") {
  TempDir dir("none");
  Crd crd(dir.path(), kThree);
  REQUIRE(crd.write_text("key", "kept"));
  const auto before = crd.generation();
  for (int m = 0; m < 3; ++m) crd.fail(m);
  CHECK_FALSE(crd.write_text("key", "lost"));
  CHECK_FALSE(crd.erase("key"));
  CHECK(crd.generation() == before);
  for (const auto& mirror : crd.status()) CHECK_FALSE(mirror.stale);  // no mirror missed a write
  for (int m = 0; m < 3; ++m) crd.repair(m);
  CHECK(crd.read_text("key") == "kept");
  CHECK(crd.verify().empty());
}

TEST_CASE("CRD: an unreachable mirror is treated like a failed one", "[crd]") {
  TempDir dir("reach");
  Crd crd(dir.path(), kThree);
  crd.set_reachable(2, false);
  REQUIRE(crd.write_text("key", "value"));
  CHECK(crd.status(2).stale);
  CHECK_FALSE(crd.status(2).failed);
  crd.set_reachable(2, true);
  REQUIRE(crd.resync(2));
  CHECK(crd.verify().empty());
}

TEST_CASE("CRD: liveness records of the monitor systems", "[crd]") {
  TempDir dir("live");
  Crd crd(dir.path(), kThree);
  CHECK_FALSE(crd.liveness("ABGSU701"));
  REQUIRE(crd.write_liveness("ABGSU701", 12.25));
  REQUIRE(crd.write_liveness("ABGSU702", 0.1));
  CHECK(crd.liveness("ABGSU701") == 12.25);
  CHECK(crd.liveness("ABGSU702") == 0.1);  // the text round-trips exactly
  REQUIRE(crd.write_liveness("ABGSU701", 30));
  CHECK(crd.liveness("ABGSU701") == 30.0);
  CHECK(crd.keys("liveness/") ==
        std::vector<std::string>{"liveness/ABGSU701", "liveness/ABGSU702"});
}

TEST_CASE("CRD: the mirrors of a configuration follow the model's order", "[crd]") {
  const auto names = crd_mirror_names(testing::cluster_preset("default"));
  CHECK(names == std::vector<std::string>{"external-1", "external-2", "internal-abgwhite",
                                          "internal-abgblack", "internal-abgred",
                                          "internal-abggreen"});
  // An SU x86 in an SU cluster has a configuration disk of its own (C1).
  const auto local = crd_mirror_names(testing::cluster_preset("x86-local"));
  CHECK(local == std::vector<std::string>{"external-1", "internal-abgblue", "internal-abgorange",
                                          "internal-abgbrown"});
}

}  // namespace
}  // namespace lmc::ref
