#pragma once
// Helpers for the cluster layer's tests: presets, temporary CRD directories
// that are removed afterwards, and raw access to a mirror's file.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/cluster/config/config.hpp"

namespace lmc::ref::testing {

inline cluster::Config cluster_preset(const std::string& name) {
  cluster::ConfigError error;
  auto config = cluster::parse_config(*cluster::preset_json(name), "preset " + name, error);
  REQUIRE(config);
  return *config;
}

/// A fresh directory under the system temp dir, removed when it goes.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path_ =
        std::filesystem::temp_directory_path() / ("lmc-cluster-test-" + std::to_string(::getpid()) +
                                                  "-" + tag + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  /// The log file of the mirror called `name`.
  std::filesystem::path mirror_file(const std::string& name) const {
    return path_ / (name + ".crdlog");
  }

 private:
  std::filesystem::path path_;
};

inline std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Flips the bits of the byte at `offset` in the file.
inline void corrupt_byte(const std::filesystem::path& path, std::size_t offset) {
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  REQUIRE(file);
  file.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  file.get(c);
  file.seekp(static_cast<std::streamoff>(offset));
  file.put(static_cast<char>(~c));
}

}  // namespace lmc::ref::testing
