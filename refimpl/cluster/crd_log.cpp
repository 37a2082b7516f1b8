#include "refimpl/cluster/crd_log.hpp"

#include <fmt/core.h>
#include <xxhash.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>

namespace lmc::ref::crd {
namespace {

static_assert(std::endian::native == std::endian::little, "records are little-endian");

std::uint64_t checksum_of(std::span<const std::byte> record) {
  // The header up to the checksum field seeds the hash of key and value, so
  // one checksum covers every byte of the record but itself.
  const auto* data = record.data();
  const auto seed = XXH3_64bits(data, offsetof(RecordHeader, checksum));
  return XXH3_64bits_withSeed(data + sizeof(RecordHeader), record.size() - sizeof(RecordHeader),
                              seed);
}

bool kind_known(RecordKind kind) {
  return kind == RecordKind::put || kind == RecordKind::erase || kind == RecordKind::mark;
}

}  // namespace

std::vector<std::byte> encode_record(RecordKind kind, std::string_view key,
                                     std::span<const std::byte> value, std::uint64_t generation) {
  RecordHeader header;
  header.kind = kind;
  header.key_bytes = static_cast<std::uint32_t>(key.size());
  header.value_bytes = static_cast<std::uint32_t>(value.size());
  header.generation = generation;
  std::vector<std::byte> out(sizeof header + key.size() + value.size());
  std::memcpy(out.data(), &header, sizeof header);
  if (!key.empty()) std::memcpy(out.data() + sizeof header, key.data(), key.size());
  if (!value.empty()) {
    std::memcpy(out.data() + sizeof header + key.size(), value.data(), value.size());
  }
  header.checksum = checksum_of(out);
  std::memcpy(out.data() + offsetof(RecordHeader, checksum), &header.checksum,
              sizeof header.checksum);
  return out;
}

std::optional<Record> decode_record(std::span<const std::byte> bytes, std::string& problem) {
  RecordHeader header;
  if (bytes.size() < sizeof header) {
    problem = "torn record header";
    return std::nullopt;
  }
  std::memcpy(&header, bytes.data(), sizeof header);
  if (header.magic != kRecordMagic || !kind_known(header.kind) || header.key_bytes > kMaxKeyBytes ||
      header.value_bytes > kMaxValueBytes) {
    problem = "malformed record header";
    return std::nullopt;
  }
  const std::size_t size = sizeof header + header.key_bytes + header.value_bytes;
  if (bytes.size() < size) {
    problem = "torn record";
    return std::nullopt;
  }
  if (checksum_of(bytes.first(size)) != header.checksum) {
    problem = "checksum mismatch";
    return std::nullopt;
  }
  Record record;
  record.kind = header.kind;
  record.generation = header.generation;
  record.bytes = size;
  const auto* key = reinterpret_cast<const char*>(bytes.data() + sizeof header);
  record.key.assign(key, header.key_bytes);
  const auto* value = bytes.data() + sizeof header + header.key_bytes;
  record.value.assign(value, value + header.value_bytes);
  return record;
}

LogContents replay_log(std::span<const std::byte> bytes) {
  LogContents log;
  log.file_bytes = bytes.size();
  while (log.valid_bytes < bytes.size()) {
    std::string problem;
    auto record = decode_record(bytes.subspan(log.valid_bytes), problem);
    if (!record) {
      // Nothing after a bad record can be trusted: its length may be wrong too.
      log.problem = fmt::format("{} at offset {} ({} bytes ignored)", problem, log.valid_bytes,
                                bytes.size() - log.valid_bytes);
      break;
    }
    switch (record->kind) {
      case RecordKind::put:
        log.index[record->key] = {log.valid_bytes, static_cast<std::uint32_t>(record->bytes)};
        log.values[record->key] = std::move(record->value);
        break;
      case RecordKind::erase:
        log.index.erase(record->key);
        log.values.erase(record->key);
        break;
      case RecordKind::mark:
        break;
    }
    log.generation = std::max(log.generation, record->generation);
    log.valid_bytes += record->bytes;
    ++log.records;
  }
  return log;
}

LogContents read_log(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  const std::vector<char> text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
  return replay_log(std::as_bytes(std::span(text)));
}

}  // namespace lmc::ref::crd
