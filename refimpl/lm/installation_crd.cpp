// Opening the CRD of an installation: a new one, or an earlier run's read as
// the cluster's state, with damaged and missing mirrors reported and
// resynchronised from an intact one (spec/refimpl/cluster.md, "A kept CRD").

#include <fmt/core.h>

#include <algorithm>
#include <charconv>

#include "refimpl/lm/installation.hpp"

namespace lmc::ref {
namespace {

std::string damage_list(const std::vector<MirrorOpened>& mirrors) {
  std::string text;
  for (const auto& m : mirrors) {
    const auto what = !m.existed           ? std::string("missing")
                      : m.bytes == 0       ? std::string("empty")
                      : !m.problem.empty() ? m.problem
                                           : std::string();
    if (what.empty()) continue;
    text += fmt::format("\n  {}: {}", m.path.string(), what);
  }
  return text;
}

/// "owner=SU index=N" -> (SU name, N); nullopt when it is not of that form.
std::optional<std::pair<std::string, int>> parse_definition(const std::string& text) {
  if (!text.starts_with("owner=")) return std::nullopt;
  const auto space = text.find(" index=");
  if (space == std::string::npos) return std::nullopt;
  int index = -1;
  const auto* first = text.data() + space + 7;
  const auto* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, index);
  if (error != std::errc() || end != last || index < 0) return std::nullopt;
  return std::make_pair(text.substr(6, space - 6), index);
}

}  // namespace

bool Installation::open_crd(const std::filesystem::path& directory, CrdReuse reuse) {
  std::filesystem::create_directories(directory);
  crd_ = std::make_unique<Crd>(directory, crd_mirror_names(config_));
  if (!crd_->used_before()) return false;  // a new CRD
  const auto& opened = crd_->opened();
  const bool any_intact =
      std::any_of(opened.begin(), opened.end(), [](const MirrorOpened& m) { return m.intact(); });
  if (reuse == CrdReuse::recreate || !any_intact) {
    if (reuse != CrdReuse::recreate) {
      throw CrdUnusable(fmt::format(
          "the CRD in {} has no intact mirror, so the cluster's state cannot be read:{}\n"
          "(re-create it from the configuration with --recreate-crd, or remove the directory)",
          directory.string(), damage_list(opened)));
    }
    crd_->reset();
    crd_notes_.push_back(
        fmt::format("the CRD in {} was re-created from the configuration", directory.string()));
    return false;
  }
  repair_damaged_mirrors();
  return true;
}

void Installation::repair_damaged_mirrors() {
  const auto& opened = crd_->opened();
  std::string source;
  for (int m = 0; m < crd_->mirror_count() && source.empty(); ++m) {
    if (!crd_->status(m).stale) source = crd_->status(m).name;  // resync copies the first
  }
  for (int m = 0; m < crd_->mirror_count(); ++m) {
    const auto& mirror = opened[static_cast<std::size_t>(m)];
    const auto status = crd_->status(m);
    std::string what;
    if (!mirror.existed) {
      what = fmt::format("mirror {} ({}) was missing", mirror.name, mirror.path.string());
    } else if (mirror.bytes == 0) {
      what = fmt::format("mirror {} ({}) is empty", mirror.name, mirror.path.string());
    } else if (!mirror.problem.empty()) {
      what = fmt::format("mirror {} ({}) is damaged: {}", mirror.name, mirror.path.string(),
                         mirror.problem);
    } else if (status.stale) {
      what = fmt::format("mirror {} is behind (generation {} of {})", mirror.name,
                         status.generation, crd_->generation());
    }
    if (!status.stale) {
      if (!what.empty()) crd_notes_.push_back(what + "; it is up to date all the same");
      continue;
    }
    const bool resynchronised = crd_->resync(m);
    crd_notes_.push_back(what + (resynchronised
                                     ? "; marked stale and resynchronised from " + source
                                     : std::string("; marked stale, NOT resynchronised")));
  }
}

std::optional<std::pair<int, int>> Installation::stored_definition(int v) {
  const auto key = definition_key(v);
  const auto text = crd_->read_text(key);
  if (!text) return std::nullopt;  // a VM the earlier run did not have
  const auto parsed = parse_definition(*text);
  const int owner = parsed ? su_by_name(parsed->first) : -1;
  if (!parsed || owner < 0) {
    throw CrdUnusable(fmt::format(
        "the CRD's definition {} = '{}' is not 'owner=<an SU of the configuration> index=<n>' "
        "(re-create the CRD with --recreate-crd)",
        key, *text));
  }
  const auto& spec = vm_spec(v);
  if (owner != spec.su) {
    crd_notes_.push_back(fmt::format(
        "read from the CRD: VM {} belongs to {} (index {}), not to {} as the configuration says",
        spec.name, parsed->first, parsed->second, config_.sus[spec.su].name));
  }
  return std::make_pair(owner, parsed->second);
}

}  // namespace lmc::ref
