// The CRD on disk: reopening replays the logs, a torn or corrupt record is
// detected by its checksum and never served, snapshots keep the logs short.

#include <algorithm>

#include "refimpl/cluster/crd.hpp"
#include "tests/refimpl/cluster/cluster_fixture.hpp"

namespace lmc::ref {
namespace {

using testing::corrupt_byte;
using testing::file_text;
using testing::TempDir;

const std::vector<std::string> kTwo = {"external-1", "internal-mu"};

bool mentions(const std::vector<std::string>& lines, const std::string& word) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(word) != std::string::npos; });
}

TEST_CASE("CRD: reopening the files gives the same data and the same stale marks", "[crd]") {
  TempDir dir("reopen");
  {
    Crd crd(dir.path(), {"external-1", "external-2", "internal-mu"});
    REQUIRE(crd.write_text("a", "1"));
    REQUIRE(crd.write_text("b", "2"));
    REQUIRE(crd.erase("a"));
    crd.fail(2);
    REQUIRE(crd.write_text("c", "3"));
  }
  Crd crd(dir.path(), {"external-1", "external-2", "internal-mu"});
  CHECK(crd.problems().empty());
  CHECK(crd.generation() == 4);
  CHECK_FALSE(crd.read_text("a"));
  CHECK(crd.read_text("b") == "2");
  CHECK(crd.read_text("c") == "3");
  // The mirror that missed the last write is behind on disk, hence stale.
  CHECK(crd.status(2).stale);
  CHECK(crd.status(2).generation == 3);
  CHECK(crd.verify().empty());
  REQUIRE(crd.resync(2));
  CHECK(crd.verify().empty());
}

TEST_CASE("CRD: a corrupt byte on one mirror is found when the files are opened", "[crd]") {
  TempDir dir("corrupt-open");
  {
    Crd crd(dir.path(), kTwo);
    REQUIRE(crd.write_text("k1", "first"));
    REQUIRE(crd.write_text("k2", "second"));
  }
  const auto file = dir.mirror_file("external-1");
  const auto size = file_text(file).size();
  corrupt_byte(file, size - 2);  // inside the value of k2
  Crd crd(dir.path(), kTwo);
  CHECK(mentions(crd.problems(), "checksum mismatch"));
  CHECK(crd.status(0).stale);              // its sound prefix ends before k2
  CHECK(crd.read_text("k2") == "second");  // from the other mirror
  CHECK(crd.verify().empty());
  REQUIRE(crd.resync(0));
  crd.fail(1);
  CHECK(crd.read_text("k2") == "second");
}

TEST_CASE("CRD: on a single mirror a corrupt record and what follows it are not served", "[crd]") {
  TempDir dir("corrupt-single");
  {
    Crd crd(dir.path(), {"external-1"});
    REQUIRE(crd.write_text("k1", "first"));
    REQUIRE(crd.write_text("k2", "second"));
    REQUIRE(crd.write_text("k3", "third"));
  }
  const auto file = dir.mirror_file("external-1");
  // The records are 32 bytes of header, the key and the value.
  const std::size_t second = 32 + 2 + 5;
  corrupt_byte(file, second + 32 + 2);
  Crd crd(dir.path(), {"external-1"});
  CHECK(mentions(crd.problems(), "checksum mismatch"));
  CHECK(crd.read_text("k1") == "first");
  CHECK_FALSE(crd.read_text("k2"));
  CHECK_FALSE(crd.read_text("k3"));
  const auto damaged = file_text(file).size();
  CHECK(damaged == second + (32 + 2 + 6) + second);  // opening keeps the evidence
  REQUIRE(crd.write_text("k4", "fourth"));  // the tail is cut, appends follow sound records
  CHECK(file_text(file).size() == second + 32 + 2 + 6);
  CHECK(crd.verify().empty());
}

TEST_CASE("CRD: a record corrupted while open is detected on read and the mirror taken out",
          "[crd]") {
  TempDir dir("corrupt-read");
  Crd crd(dir.path(), kTwo);
  REQUIRE(crd.write_text("key", "the value"));
  corrupt_byte(dir.mirror_file("external-1"), 32 + 3 + 4);
  CHECK_FALSE(crd.verify().empty());           // verify reads the files, not memory
  CHECK(crd.read_text("key") == "the value");  // served by the second mirror
  CHECK(crd.status(0).stale);
  CHECK(mentions(crd.problems(), "checksum mismatch"));
  CHECK(crd.verify().empty());  // the stale mirror no longer counts
  REQUIRE(crd.resync(0));
  CHECK(crd.verify().empty());
  crd.fail(1);
  CHECK(crd.read_text("key") == "the value");
}

TEST_CASE("CRD: a torn tail is cut when the files are opened", "[crd]") {
  TempDir dir("torn");
  {
    Crd crd(dir.path(), kTwo);
    REQUIRE(crd.write_text("key", "value"));
  }
  for (const auto* name : {"external-1", "internal-mu"}) {
    std::ofstream out(dir.mirror_file(name), std::ios::binary | std::ios::app);
    out << "CRDR half a record";
  }
  {
    Crd crd(dir.path(), kTwo);
    CHECK(crd.problems().size() == 2);
    CHECK_FALSE(crd.status(0).stale);  // the torn write never counted anywhere
    CHECK(crd.read_text("key") == "value");
    REQUIRE(crd.write_text("more", "data"));
  }
  Crd crd(dir.path(), kTwo);
  CHECK(crd.problems().empty());
  CHECK(crd.read_text("more") == "data");
  CHECK(crd.verify().empty());
}

TEST_CASE("CRD: verify finds mirrors that differ", "[crd]") {
  TempDir dir("differ");
  Crd crd(dir.path(), kTwo);
  REQUIRE(crd.write_text("key", "value"));
  // Replace one mirror's file by a sound log of other data behind the CRD's back.
  {
    TempDir other("differ-other");
    {
      Crd fake(other.path(), {"internal-mu"});
      REQUIRE(fake.write_text("key", "other"));
    }
    std::filesystem::copy_file(other.mirror_file("internal-mu"), dir.mirror_file("internal-mu"),
                               std::filesystem::copy_options::overwrite_existing);
  }
  CHECK(crd.verify().find("holds other data") != std::string::npos);
}

TEST_CASE("CRD: a log that grows with rewrites is compacted to a snapshot", "[crd]") {
  TempDir dir("compact");
  CrdOptions options;
  options.compact_above_bytes = 4096;
  {
    Crd crd(dir.path(), kTwo, options);
    for (int i = 0; i < 1000; ++i) {
      REQUIRE(crd.write_liveness("ABGSU701", i));
      REQUIRE(crd.write_text("fixed", "stays"));
    }
    CHECK(file_text(dir.mirror_file("external-1")).size() < 4 * 4096);
    CHECK(crd.verify().empty());
  }
  Crd crd(dir.path(), kTwo, options);
  CHECK(crd.problems().empty());
  CHECK(crd.generation() == 2000);
  CHECK(crd.liveness("ABGSU701") == 999.0);
  CHECK(crd.read_text("fixed") == "stays");
  CHECK(crd.verify().empty());
}

}  // namespace
}  // namespace lmc::ref
