// A kept CRD directory (refimpl/lm/installation_crd.cpp): read as the
// cluster's state, each damaged or missing mirror reported and
// resynchronised, and refused with every file named when no mirror is intact.

#include <algorithm>
#include <fstream>
#include <iterator>

#include "tests/refimpl/lm/lm_fixture.hpp"

namespace lmc::ref {
namespace {

using testing::fresh_directory;
using testing::preset;

/// A directory removed at the end of the test.
struct KeptDirectory {
  std::filesystem::path path = fresh_directory("kept-crd");
  ~KeptDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

enum class Damage { truncated, flipped, deleted, emptied };

void damage(const std::filesystem::path& file, Damage how) {
  auto bytes = bytes_of(file);
  switch (how) {
    case Damage::truncated:
      write_bytes(file, bytes.substr(0, bytes.size() / 2));
      break;
    case Damage::flipped:
      bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
      write_bytes(file, bytes);
      break;
    case Damage::deleted:
      std::filesystem::remove(file);
      break;
    case Damage::emptied:
      write_bytes(file, "");
      break;
  }
}

const char* expected_note(Damage how) {
  switch (how) {
    case Damage::truncated:
      return "is damaged: torn record";
    case Damage::flipped:
      return "is damaged: ";
    case Damage::deleted:
      return "was missing";
    case Damage::emptied:
      return "is empty";
  }
  return "";
}

/// Leaves the CRD of a finished run in `dir`: VM 0 moved to its partner.
int run_that_moved_vm0(const std::filesystem::path& dir) {
  auto clock = Clock::virtual_time();
  Installation first(preset("default"), clock, dir);
  const int partner = *first.config().partner_of(first.vm(0).su);
  REQUIRE(first.write_definition(0, partner));
  return partner;
}

}  // namespace

TEST_CASE("A kept CRD is read as the cluster's state", "[lm][installation_crd]") {
  KeptDirectory dir;
  const int partner = run_that_moved_vm0(dir.path);
  auto clock = Clock::virtual_time();
  Installation second(preset("default"), clock, dir.path);
  CHECK(second.vm(0).su == partner);
  CHECK(second.vm(0).executing_on() == partner);
  CHECK(second.su(partner).holds(0));
  CHECK(second.definition_owner(0) == partner);
  REQUIRE(second.crd_notes().size() == 1);
  CHECK_THAT(second.crd_notes()[0], Catch::Contains("belongs to"));
  CHECK_THAT(second.crd_notes()[0], Catch::Contains("not to"));
}

TEST_CASE("Each mirror damaged in each way is reported and resynchronised",
          "[lm][installation_crd]") {
  for (const auto how : {Damage::truncated, Damage::flipped, Damage::deleted, Damage::emptied}) {
    const int mirrors = static_cast<int>(crd_mirror_names(preset("default")).size());
    for (int m = 0; m < mirrors; ++m) {
      KeptDirectory dir;
      const int partner = run_that_moved_vm0(dir.path);
      auto clock = Clock::virtual_time();
      std::filesystem::path file;
      {
        Installation look(preset("default"), clock, dir.path);
        file = look.crd().files()[static_cast<std::size_t>(m)];
      }
      INFO("mirror " << m << " " << file.filename().string() << ", damage "
                     << static_cast<int>(how));
      damage(file, how);
      Installation in(preset("default"), clock, dir.path);
      const auto& notes = in.crd_notes();
      const bool reported = std::any_of(notes.begin(), notes.end(), [&](const std::string& n) {
        return n.find(file.string()) != std::string::npos &&
               n.find(expected_note(how)) != std::string::npos &&
               n.find("resynchronised from") != std::string::npos;
      });
      CHECK(reported);
      for (int other = 0; other < mirrors; ++other) CHECK_FALSE(in.crd().status(other).stale);
      CHECK(in.crd().verify().empty());
      CHECK(in.vm(0).su == partner);  // the state survives on the other mirrors
    }
  }
}

TEST_CASE("With no intact mirror the CRD is refused, untouched, unless re-created",
          "[lm][installation_crd]") {
  KeptDirectory dir;
  run_that_moved_vm0(dir.path);
  auto clock = Clock::virtual_time();
  std::vector<std::filesystem::path> files;
  {
    Installation look(preset("default"), clock, dir.path);
    files = look.crd().files();
  }
  std::vector<std::string> damaged;
  for (const auto& file : files) {
    damage(file, Damage::flipped);
    damaged.push_back(bytes_of(file));
  }
  try {
    Installation refused(preset("default"), clock, dir.path);
    FAIL("a CRD without an intact mirror was used");
  } catch (const CrdUnusable& error) {
    for (const auto& file : files) CHECK_THAT(error.what(), Catch::Contains(file.string()));
    CHECK_THAT(error.what(), Catch::Contains("--recreate-crd"));
  }
  for (std::size_t f = 0; f < files.size(); ++f) CHECK(bytes_of(files[f]) == damaged[f]);

  Installation recreated(preset("default"), clock, dir.path, "SYSADM", CrdReuse::recreate);
  CHECK(recreated.vm(0).su == recreated.config().vms[0].su);
  CHECK(recreated.crd().verify().empty());
  REQUIRE_FALSE(recreated.crd_notes().empty());
  CHECK_THAT(recreated.crd_notes()[0], Catch::Contains("re-created from the configuration"));
}

}  // namespace lmc::ref
