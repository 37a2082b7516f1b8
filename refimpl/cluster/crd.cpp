// The mirror protocol of the CRD (CH-1): which mirrors a write reaches, which
// become stale, which one a read uses. The file handling is in crd_files.cpp.

#include "refimpl/cluster/crd.hpp"

#include <fmt/core.h>

#include <charconv>
#include <stdexcept>
#include <system_error>

namespace lmc::ref {

Crd::Mirror& Crd::at(int mirror) {
  if (mirror < 0 || mirror >= mirror_count()) throw std::out_of_range("no such CRD mirror");
  return mirrors_[static_cast<std::size_t>(mirror)];
}

const Crd::Mirror& Crd::at(int mirror) const {
  if (mirror < 0 || mirror >= mirror_count()) throw std::out_of_range("no such CRD mirror");
  return mirrors_[static_cast<std::size_t>(mirror)];
}

const Crd::Mirror* Crd::readable() const {
  for (const auto& mirror : mirrors_) {
    if (mirror.up_to_date()) return &mirror;
  }
  return nullptr;
}

bool Crd::append_everywhere(crd::RecordKind kind, std::string_view key,
                            std::span<const std::byte> value) {
  if (key.empty() || key.size() > crd::kMaxKeyBytes || value.size() > crd::kMaxValueBytes) {
    throw std::invalid_argument("CRD key must be 1..4096 bytes and a value at most 64 MiB");
  }
  if (!readable()) return false;  // unavailable: nothing changes, not even stale marks
  const std::uint64_t generation = generation_ + 1;
  const auto record = crd::encode_record(kind, key, value, generation);
  bool taken = false;
  for (auto& mirror : mirrors_) {
    if (!mirror.up_to_date()) continue;
    if (!append(mirror, record)) {
      // An I/O error: the disk may hold anything now, so it is out of service
      // until resynchronised.
      mirror.stale = true;
      problems_.push_back(fmt::format("{}: write failed at offset {}", mirror.name, mirror.end));
      continue;
    }
    apply(mirror, kind, key, mirror.end, static_cast<std::uint32_t>(record.size()));
    mirror.end += record.size();
    mirror.generation = generation;
    taken = true;
  }
  if (!taken) return false;
  generation_ = generation;
  for (auto& mirror : mirrors_) {
    if (mirror.generation != generation) mirror.stale = true;  // missed this write
  }
  for (auto& mirror : mirrors_) {
    if (mirror.up_to_date()) maybe_compact(mirror);
  }
  return true;
}

void Crd::apply(Mirror& mirror, crd::RecordKind kind, std::string_view key, std::uint64_t offset,
                std::uint32_t bytes) {
  const auto found = mirror.index.find(key);
  if (found != mirror.index.end()) {
    mirror.live_bytes -= found->second.bytes;
    mirror.index.erase(found);
  }
  if (kind == crd::RecordKind::put) {
    mirror.index.emplace(std::string(key), crd::Location{offset, bytes});
    mirror.live_bytes += bytes;
  }
}

bool Crd::write(std::string_view key, std::span<const std::byte> value) {
  std::lock_guard lock(mutex_);
  return append_everywhere(crd::RecordKind::put, key, value);
}

bool Crd::write_text(std::string_view key, std::string_view value) {
  return write(key, std::as_bytes(std::span(value.data(), value.size())));
}

bool Crd::erase(std::string_view key) {
  std::lock_guard lock(mutex_);
  return append_everywhere(crd::RecordKind::erase, key, {});
}

std::optional<std::vector<std::byte>> Crd::read(std::string_view key) const {
  std::lock_guard lock(mutex_);
  for (auto& mirror : mirrors_) {
    if (!mirror.up_to_date()) continue;
    if (!mirror.index.contains(key)) return std::nullopt;  // the first up-to-date mirror decides
    if (auto value = read_from(mirror, key)) return value;
    // read_from marked the mirror stale; the next up-to-date one holds the same data.
  }
  return std::nullopt;
}

std::optional<std::string> Crd::read_text(std::string_view key) const {
  const auto bytes = read(key);
  if (!bytes) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size());
}

std::vector<std::string> Crd::keys(std::string_view prefix) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  const auto* mirror = readable();
  if (!mirror) return out;
  for (auto it = mirror->index.lower_bound(prefix);
       it != mirror->index.end() && it->first.starts_with(prefix); ++it) {
    out.push_back(it->first);
  }
  return out;
}

void Crd::fail(int mirror) {
  std::lock_guard lock(mutex_);
  at(mirror).failed = true;
}

void Crd::repair(int mirror) {
  std::lock_guard lock(mutex_);
  at(mirror).failed = false;
}

void Crd::set_reachable(int mirror, bool reachable) {
  std::lock_guard lock(mutex_);
  at(mirror).reachable = reachable;
}

bool Crd::resync(int mirror) {
  std::lock_guard lock(mutex_);
  auto& target = at(mirror);
  if (!target.stale || !target.accessible()) return false;
  // Copy from the mirror a read would use; one whose file turns out unsound is
  // taken out and the next is tried.
  for (auto& source : mirrors_) {
    if (!source.up_to_date()) continue;
    const auto contents = crd::read_log(source.path);
    if (!contents.problem.empty() || contents.generation != source.generation) {
      source.stale = true;
      problems_.push_back(
          fmt::format("{}: unsound during resync: {}", source.name,
                      contents.problem.empty() ? "generation differs" : contents.problem));
      continue;
    }
    if (!rewrite(target, contents)) return false;
    target.stale = false;
    return true;
  }
  return false;
}

bool Crd::available() const {
  std::lock_guard lock(mutex_);
  return readable() != nullptr;
}

MirrorStatus Crd::status(int mirror) const {
  std::lock_guard lock(mutex_);
  const auto& m = at(mirror);
  return {m.name, m.accessible(), m.stale, m.generation, m.failed};
}

std::vector<MirrorStatus> Crd::status() const {
  std::vector<MirrorStatus> out;
  for (int m = 0; m < mirror_count(); ++m) out.push_back(status(m));
  return out;
}

std::uint64_t Crd::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::vector<std::string> Crd::problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}

bool Crd::write_liveness(std::string_view unit, double time) {
  return write_text(fmt::format("liveness/{}", unit), fmt::format("{}", time));
}

std::optional<double> Crd::liveness(std::string_view unit) const {
  const auto text = read_text(fmt::format("liveness/{}", unit));
  if (!text) return std::nullopt;
  double time = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), time);
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return time;
}

std::vector<CrdMirrorHost> crd_mirror_hosts(const cluster::Config& config) {
  std::vector<CrdMirrorHost> hosts;
  for (int d = 0; d < config.external_disks; ++d) {
    hosts.push_back({CrdMirrorHost::Kind::external, -1, -1, fmt::format("external-{}", d + 1)});
  }
  for (int m = 0; m < static_cast<int>(config.mus.size()); ++m) {
    const auto& mu = config.mus[static_cast<std::size_t>(m)];
    hosts.push_back({CrdMirrorHost::Kind::mu, m, mu.server, "internal-" + mu.name});
  }
  for (int s = 0; s < static_cast<int>(config.sus.size()); ++s) {
    const auto& su = config.sus[static_cast<std::size_t>(s)];
    // Only an SU x86 in an SU cluster carries a configuration disk (C1).
    if (su.arch != cluster::Arch::x86 || !config.cluster_of(s)) continue;
    hosts.push_back({CrdMirrorHost::Kind::su, s, su.server, "internal-" + su.name});
  }
  return hosts;
}

std::vector<std::string> crd_mirror_names(const cluster::Config& config) {
  std::vector<std::string> names;
  for (const auto& host : crd_mirror_hosts(config)) names.push_back(host.name);
  return names;
}

std::vector<std::filesystem::path> Crd::files() const {
  std::lock_guard lock(mutex_);
  std::vector<std::filesystem::path> paths;
  for (const auto& mirror : mirrors_) paths.push_back(mirror.path);
  return paths;
}

}  // namespace lmc::ref
