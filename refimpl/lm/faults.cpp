#include "refimpl/lm/faults.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace lmc::ref {
namespace {

constexpr std::array<std::pair<const char*, LmPhase>, 4> kPhases{
    {{"setup", LmPhase::setup},
     {"copy", LmPhase::copy},
     {"switchover", LmPhase::switchover},
     {"cleanup", LmPhase::cleanup}}};
constexpr std::array<std::pair<const char*, FaultKind>, 8> kKinds{
    {{"link", FaultKind::link},
     {"alloc", FaultKind::allocation},
     {"resume", FaultKind::resume},
     {"crd", FaultKind::crd},
     {"disk", FaultKind::disk},
     {"kill", FaultKind::kill},
     {"sigint", FaultKind::sigint},
     {"sigterm", FaultKind::sigterm}}};

}  // namespace

std::string to_string(LmPhase phase) {
  switch (phase) {
    case LmPhase::request:
      return "request";
    case LmPhase::done:
      return "done";
    default:
      break;
  }
  for (const auto& [name, value] : kPhases) {
    if (value == phase) return name;
  }
  return "?";
}

std::string to_string(FaultKind kind) {
  for (const auto& [name, value] : kKinds) {
    if (value == kind) return name;
  }
  return "?";
}

std::string Fault::text() const {
  return to_string(kind) + "@" + to_string(phase);
}

bool fault_fits_phase(FaultKind kind, LmPhase phase) {
  if (kind == FaultKind::allocation) return phase == LmPhase::setup;
  if (kind == FaultKind::resume) return phase == LmPhase::switchover;
  return true;
}

std::optional<Fault> parse_fault(std::string_view text, std::string& error) {
  const auto at = text.find('@');
  const auto kind_text = text.substr(0, at);
  const auto phase_text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
  const auto kind = std::find_if(kKinds.begin(), kKinds.end(),
                                 [&](const auto& entry) { return kind_text == entry.first; });
  const auto phase = std::find_if(kPhases.begin(), kPhases.end(),
                                  [&](const auto& entry) { return phase_text == entry.first; });
  if (at == std::string_view::npos || kind == kKinds.end() || phase == kPhases.end()) {
    error =
        "expected KIND@PHASE with KIND one of link, alloc, resume, crd, disk, kill, sigint, "
        "sigterm and PHASE "
        "one of setup, copy, switchover, cleanup, got '" +
        std::string(text) + "'";
    return std::nullopt;
  }
  Fault fault{kind->second, phase->second};
  if (!fault_fits_phase(fault.kind, fault.phase)) {
    error = fault.kind == FaultKind::allocation
                ? "alloc can only fail at setup (alloc@setup)"
                : "resume can only fail at switchover (resume@switchover)";
    return std::nullopt;
  }
  return fault;
}

bool has_fault(const std::vector<Fault>& faults, FaultKind kind) {
  return std::any_of(faults.begin(), faults.end(),
                     [&](const Fault& fault) { return fault.kind == kind; });
}

}  // namespace lmc::ref
