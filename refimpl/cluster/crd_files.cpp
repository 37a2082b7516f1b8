// The CRD's files: opening and replaying the mirrors, appending records,
// reading one back, writing a snapshot (resync, compaction) and verifying.

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <stdexcept>
#include <system_error>

#include "refimpl/cluster/crd.hpp"

namespace lmc::ref {
namespace {

/// A mirror's name as a file name: anything but [A-Za-z0-9._-] becomes '_'.
std::string file_name(const std::string& mirror) {
  std::string out;
  for (const char c : mirror) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    out += plain ? c : '_';
  }
  return out + ".crdlog";
}

int open_or_throw(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path.string());
  return fd;
}

bool write_all(int fd, std::span<const std::byte> bytes, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, std::span<std::byte> bytes, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n =
        ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void sync_directory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Crd::Crd(std::filesystem::path directory, std::vector<std::string> mirror_names, CrdOptions options)
    : directory_(std::move(directory)), options_(options) {
  if (mirror_names.empty()) throw std::invalid_argument("a CRD needs at least one mirror");
  std::set<std::string> files;
  std::filesystem::create_directories(directory_);
  for (auto& name : mirror_names) {
    Mirror mirror;
    mirror.path = directory_ / file_name(name);
    mirror.name = std::move(name);
    if (!files.insert(mirror.path.string()).second) {
      throw std::invalid_argument("two CRD mirrors share the file " + mirror.path.string());
    }
    std::filesystem::remove(mirror.path.string() + ".tmp");  // an interrupted snapshot
    open_mirror(mirror);
    generation_ = std::max(generation_, mirror.generation);
    mirrors_.push_back(std::move(mirror));
  }
  // A mirror behind the newest write missed it (failed, cut off, torn tail).
  for (auto& mirror : mirrors_) mirror.stale = mirror.generation < generation_;
}

Crd::~Crd() {
  for (auto& mirror : mirrors_) {
    if (mirror.fd >= 0) ::close(mirror.fd);
  }
}

void Crd::open_mirror(Mirror& mirror) {
  MirrorOpened opened;
  opened.name = mirror.name;
  opened.path = mirror.path;
  std::error_code error;
  opened.existed = std::filesystem::is_regular_file(mirror.path, error);
  const auto log = crd::read_log(mirror.path);
  opened.bytes = log.file_bytes;
  opened.problem = log.problem;
  opened.generation = log.generation;
  opened_.push_back(std::move(opened));
  if (!log.problem.empty()) problems_.push_back(mirror.name + ": " + log.problem);
  mirror.fd = open_or_throw(mirror.path, O_RDWR | O_CREAT);
  // Appends must follow sound records, or the next replay would stop at the
  // garbage before them; but the tail is cut only before the first append,
  // so that a CRD the installation refuses to use keeps its evidence.
  mirror.tail_to_cut = log.valid_bytes < log.file_bytes;
  mirror.end = log.valid_bytes;
  mirror.generation = log.generation;
  mirror.index = log.index;
  mirror.live_bytes = 0;
  for (const auto& [key, location] : mirror.index) mirror.live_bytes += location.bytes;
}

bool Crd::append(Mirror& mirror, const std::vector<std::byte>& record) {
  if (mirror.tail_to_cut) {
    if (::ftruncate(mirror.fd, static_cast<off_t>(mirror.end)) != 0) return false;
    mirror.tail_to_cut = false;
  }
  const bool written = write_all(mirror.fd, record, mirror.end) &&
                       (!options_.durable || ::fdatasync(mirror.fd) == 0);
  if (!written) (void)::ftruncate(mirror.fd, static_cast<off_t>(mirror.end));
  return written;
}

std::optional<std::vector<std::byte>> Crd::read_from(Mirror& mirror, std::string_view key) const {
  const auto location = mirror.index.find(key)->second;
  std::vector<std::byte> bytes(location.bytes);
  std::string problem = "short read";
  if (read_all(mirror.fd, bytes, location.offset)) {
    auto record = crd::decode_record(bytes, problem);
    if (record && record->kind == crd::RecordKind::put && record->key == key) {
      return std::move(record->value);
    }
    if (record) problem = "record does not hold the key";
  }
  mirror.stale = true;
  problems_.push_back(fmt::format("{}: {} reading '{}' at offset {}; mirror taken out", mirror.name,
                                  problem, key, location.offset));
  return std::nullopt;
}

bool Crd::rewrite(Mirror& mirror, const crd::LogContents& contents) {
  // A snapshot: every live key once, then a mark with the generation, written
  // beside the log and renamed over it so that a crash leaves one or the other.
  std::vector<std::byte> bytes;
  std::map<std::string, crd::Location, std::less<>> index;
  std::uint64_t live = 0;
  for (const auto& [key, value] : contents.values) {
    const auto record = crd::encode_record(crd::RecordKind::put, key, value, contents.generation);
    index.emplace(key, crd::Location{bytes.size(), static_cast<std::uint32_t>(record.size())});
    live += record.size();
    bytes.insert(bytes.end(), record.begin(), record.end());
  }
  const auto mark = crd::encode_record(crd::RecordKind::mark, {}, {}, contents.generation);
  bytes.insert(bytes.end(), mark.begin(), mark.end());

  const auto temporary = std::filesystem::path(mirror.path.string() + ".tmp");
  const int fd = open_or_throw(temporary, O_WRONLY | O_CREAT | O_TRUNC);
  const bool written = write_all(fd, bytes, 0) && (!options_.durable || ::fdatasync(fd) == 0);
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), mirror.path.c_str()) != 0) {
    std::filesystem::remove(temporary);
    problems_.push_back(mirror.name + ": snapshot could not be written");
    return false;
  }
  if (options_.durable) sync_directory(directory_);
  ::close(mirror.fd);
  mirror.fd = open_or_throw(mirror.path, O_RDWR);
  mirror.end = bytes.size();
  mirror.generation = contents.generation;
  mirror.index = std::move(index);
  mirror.live_bytes = live;
  mirror.tail_to_cut = false;
  return true;
}

void Crd::maybe_compact(Mirror& mirror) {
  if (mirror.end <= options_.compact_above_bytes || mirror.end <= 4 * mirror.live_bytes) return;
  const auto contents = crd::read_log(mirror.path);
  if (!contents.problem.empty() || contents.generation != mirror.generation) {
    mirror.stale = true;
    problems_.push_back(mirror.name + ": unsound during compaction: " + contents.problem);
    return;
  }
  if (!rewrite(mirror, contents)) mirror.stale = true;
}

bool Crd::used_before() const {
  for (const auto& mirror : opened_) {
    if (mirror.existed) return true;
  }
  return false;
}

void Crd::reset() {
  std::lock_guard lock(mutex_);
  for (auto& mirror : mirrors_) {
    if (::ftruncate(mirror.fd, 0) != 0) {
      throw std::system_error(errno, std::generic_category(), "truncate " + mirror.path.string());
    }
    mirror.end = 0;
    mirror.generation = 0;
    mirror.index.clear();
    mirror.live_bytes = 0;
    mirror.stale = false;
    mirror.tail_to_cut = false;
  }
  generation_ = 0;
}

std::string Crd::verify() const {
  std::lock_guard lock(mutex_);
  std::string report;
  const auto note = [&report](const std::string& line) { report += line + "\n"; };
  const Mirror* first = nullptr;
  crd::LogContents reference;
  for (const auto& mirror : mirrors_) {
    if (mirror.stale) continue;
    auto contents = crd::read_log(mirror.path);
    if (!contents.problem.empty()) note(mirror.name + ": " + contents.problem);
    if (contents.generation != generation_) {
      note(fmt::format("{}: generation {} on disk, newest write is {}", mirror.name,
                       contents.generation, generation_));
    }
    if (contents.index.size() != mirror.index.size() || contents.file_bytes != mirror.end) {
      note(mirror.name + ": the file differs from what was written to it");
    }
    if (!first) {
      first = &mirror;
      reference = std::move(contents);
    } else if (contents.values != reference.values) {
      note(fmt::format("{}: holds other data than {}", mirror.name, first->name));
    }
  }
  return report;
}

}  // namespace lmc::ref
