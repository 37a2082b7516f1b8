#pragma once
// The on-disk format of one CRD mirror (spec/refimpl/cluster.md): an
// append-only log of records, each a 32-byte header, the key and the value,
// protected by an XXH3-64 checksum over all three. Every record carries the
// CRD generation of the write it belongs to, so a mirror's generation is that
// of its last valid record and needs no separate metadata file.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lmc::ref::crd {

inline constexpr std::uint32_t kRecordMagic = 0x52445243;  // "CRDR"
inline constexpr std::size_t kMaxKeyBytes = 4096;
inline constexpr std::size_t kMaxValueBytes = 64u << 20;

enum class RecordKind : std::uint8_t {
  put = 1,    ///< key = value
  erase = 2,  ///< key removed
  mark = 3,   ///< no key: the mirror holds generation `generation` (ends a snapshot)
};

struct RecordHeader {
  std::uint32_t magic = kRecordMagic;
  RecordKind kind = RecordKind::put;
  std::uint8_t reserved[3] = {0, 0, 0};
  std::uint32_t key_bytes = 0;
  std::uint32_t value_bytes = 0;
  std::uint64_t generation = 0;
  /// XXH3-64 of key and value, seeded with XXH3-64 of the 24 bytes before this field
  std::uint64_t checksum = 0;
};
static_assert(sizeof(RecordHeader) == 32, "records are written as they are");

/// One record, encoded and checksummed, ready to append.
std::vector<std::byte> encode_record(RecordKind kind, std::string_view key,
                                     std::span<const std::byte> value, std::uint64_t generation);

struct Record {
  RecordKind kind = RecordKind::put;
  std::string key;
  std::vector<std::byte> value;
  std::uint64_t generation = 0;
  std::size_t bytes = 0;  ///< encoded size
};

/// Decodes the record at the start of `bytes`. nullopt and `problem` set when
/// it is truncated, malformed or fails its checksum.
std::optional<Record> decode_record(std::span<const std::byte> bytes, std::string& problem);

/// Where a live value lies in a mirror's file.
struct Location {
  std::uint64_t offset = 0;
  std::uint32_t bytes = 0;
};

/// A mirror's file replayed: the valid prefix and what it holds.
struct LogContents {
  std::map<std::string, std::vector<std::byte>, std::less<>> values;
  std::map<std::string, Location, std::less<>> index;
  std::uint64_t generation = 0;
  std::uint64_t valid_bytes = 0;  ///< the prefix of sound records
  std::uint64_t file_bytes = 0;
  std::uint64_t records = 0;
  std::string problem;  ///< empty when every byte was a sound record
};

/// Replays the log in `bytes` up to the first torn or corrupt record.
LogContents replay_log(std::span<const std::byte> bytes);
/// Reads and replays a mirror's file; a missing file is an empty log.
LogContents read_log(const std::filesystem::path& path);

}  // namespace lmc::ref::crd
