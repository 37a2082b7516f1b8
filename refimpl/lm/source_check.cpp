#include "refimpl/lm/source_check.hpp"

#include <fmt/core.h>

#include <cstring>
#include <new>

namespace lmc::ref {
namespace {

std::optional<bool> memory_replays(Guest& guest, std::uint64_t writes, std::string& note) {
  try {
    Guest replay(guest.memory().pages(), guest.workload().spec());
    replay.workload().write_pages(writes);
    return std::memcmp(replay.memory().data(), guest.memory().data(), guest.memory().bytes()) == 0;
  } catch (const std::bad_alloc&) {
    note = "not compared: no memory for a replay of the guest";
    return std::nullopt;
  }
}

}  // namespace

SourceCheck check_source_after_abort(const Installation& in, int vm, int source, int target,
                                     Guest& guest) {
  SourceCheck check;
  const auto& record = in.vm(vm);
  // A guest that ran runs again on the source alone; an INIT_ONLY or DOWN
  // one executes nowhere.
  const bool ran =
      record.state == cluster::VmState::running || record.state == cluster::VmState::wait;
  check.runs_on_source_alone = record.executing == (ran ? 1u << source : 0u);
  if (const auto owner = in.definition_owner(vm)) check.definition_names_source = *owner == source;
  check.target_holds_nothing = !in.su(target).holds(vm) && !record.lm_target;
  check.writes = guest.workload().writes();
  check.memory_whole = memory_replays(guest, check.writes, check.memory_note);
  return check;
}

std::string SourceCheck::summary(const Installation& in, int vm, int source) const {
  const auto& name = in.vm(vm).name;
  const auto& su = in.su(source).name();
  const auto yes_no = [](bool ok, const std::string& good, const std::string& bad) {
    return ok ? good : bad;
  };
  std::string memory;
  if (memory_whole) {
    memory =
        yes_no(*memory_whole, fmt::format("its memory equals a replay of its {} writes", writes),
               fmt::format("its memory DIFFERS from a replay of its {} writes", writes));
  } else {
    memory = "memory " + memory_note;
  }
  return fmt::format("source check: {} {} {}; {}; {}; {} -> {}", name,
                     yes_no(runs_on_source_alone, "runs on", "does NOT run on"), su + " alone",
                     definition_names_source
                         ? yes_no(*definition_names_source, "its definition on the CRD names " + su,
                                  "its definition on the CRD does NOT name " + su)
                         : std::string("the CRD cannot be read"),
                     yes_no(target_holds_nothing, "the target holds nothing of it",
                            "the target STILL holds its resources"),
                     memory, whole() ? "whole" : "NOT whole");
}

}  // namespace lmc::ref
