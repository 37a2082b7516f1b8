#pragma once
// Checkpoints of a breadth-first search (lmc check --checkpoint DIR, --resume
// DIR). A checkpoint is written between two levels, where the search's whole
// state is small to name: the stored states with their trace links, the next
// level's states, the properties decided so far and the counters. It goes to
// DIR/checkpoint.lmc.tmp and is renamed over DIR/checkpoint.lmc once complete,
// so a search killed at any moment (SIGKILL included) leaves the previous
// checkpoint whole. The file starts with a magic word, the format version and
// the search's identity (the model's name, the storage, the options that
// change the state space); a resume with another identity is refused.

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace lmc {

/// A checkpoint that cannot be written or read; what() names the file.
struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr std::uint64_t kCheckpointMagic = 0x54504B43434D4C00ull;  // "\0LMCCKPT"
inline constexpr std::uint32_t kCheckpointVersion = 1;

/// DIR/checkpoint.lmc.
std::filesystem::path checkpoint_file(const std::string& directory);

class BinaryWriter {
 public:
  explicit BinaryWriter(std::ostream& out) : out_(&out) {}
  template <class T>
  void pod(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->write(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  template <class T>
  void array(const T* data, std::size_t count) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->write(reinterpret_cast<const char*>(data),
                static_cast<std::streamsize>(count * sizeof(T)));
  }
  template <class T>
  void vector(const std::vector<T>& values) {
    pod(static_cast<std::uint64_t>(values.size()));
    array(values.data(), values.size());
  }
  void text(const std::string& value) {
    pod(static_cast<std::uint64_t>(value.size()));
    array(value.data(), value.size());
  }

 private:
  std::ostream* out_;
};

class BinaryReader {
 public:
  BinaryReader(std::istream& in, std::string source) : in_(&in), source_(std::move(source)) {}
  template <class T>
  void pod(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    read(&value, sizeof(T));
  }
  template <class T>
  void array(T* data, std::size_t count) {
    static_assert(std::is_trivially_copyable_v<T>);
    read(data, count * sizeof(T));
  }
  template <class T>
  void vector(std::vector<T>& values) {
    values.resize(count(sizeof(T)));
    array(values.data(), values.size());
  }
  void text(std::string& value) {
    value.resize(count(1));
    array(value.data(), value.size());
  }
  /// A length read from the file, refused when it exceeds what is left.
  std::size_t count(std::size_t element_bytes);
  [[noreturn]] void fail(const std::string& what) const;

 private:
  void read(void* data, std::size_t bytes);

  std::istream* in_;
  std::string source_;
};

/// Opens DIR/checkpoint.lmc.tmp for writing (creating DIR); commit() renames
/// it over DIR/checkpoint.lmc.
class CheckpointOutput {
 public:
  explicit CheckpointOutput(const std::string& directory);
  std::ostream& stream() { return out_; }
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path temporary_;
  std::ofstream out_;
};

/// Writes the header: magic, version, identity.
void write_checkpoint_header(BinaryWriter& out, const std::string& identity);
/// Reads and checks the header; throws CheckpointError on another identity.
void read_checkpoint_header(BinaryReader& in, const std::string& identity);

}  // namespace lmc
