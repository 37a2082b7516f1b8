#include "checker/cli/migrate_report.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "checker/cli/conflict_json.hpp"
#include "checker/cli/output_file.hpp"

namespace lmc::cli {
namespace {

double mib(std::uint64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

std::string statuses(const ref::MigrationResult& result) {
  std::string text;
  for (const auto& status : result.statuses) text += (text.empty() ? "" : " -> ") + status;
  return text;
}

void print_console(const ref::Installation& in) {
  fmt::print("\nconsole messages (source, target and guest, in order of time):\n");
  for (const auto& line : in.console().lines()) {
    fmt::print("  {:9.3f} s  {:<6} {:<9} % {}\n", line.time, ref::to_string(line.console),
               line.unit, line.text);
  }
}

void print_events_and_audit(const ref::Installation& in) {
  fmt::print("\nevents:\n");
  for (const auto& e : in.cluster_manager().events()) {
    fmt::print("  {:9.3f} s  {:<7} {:<9} {}\n", e.time, ref::to_string(e.weight), e.unit, e.text);
  }
  fmt::print("\naudit log:\n");
  for (const auto& a : in.audit_log()) {
    fmt::print("  {:9.3f} s  {} {} {}: {}\n", a.time, a.user, a.unit, a.action, a.result);
  }
}

void print_vm(const MigrateRun& run) {
  const auto& vm = run.installation.vm(run.vm);
  fmt::print("\nMONJV of the request: {}\n", statuses(run.result));
  fmt::print("guest MONJV: status '{}', VM '{}', index '{}', migration state '{}'\n",
             vm.monjv.field(1, 3), vm.monjv.field(71, 78), vm.monjv.field(79, 81),
             vm.monjv.field(87, 94));
  fmt::print("VM {} belongs to {}, runs on {}; LIVE-MIG-COUNT {}\n", vm.name,
             run.installation.su(vm.su).name(),
             vm.executing_on() < 0 ? std::string("nothing")
                                   : run.installation.su(vm.executing_on()).name(),
             vm.live_mig_count);
  for (const auto& h : vm.history) {
    fmt::print("  history: {:.3f} s to {} as VM index {}\n", h.time, h.configuration, h.vm_index);
  }
}

void print_outcome(const MigrateRun& run) {
  const auto& r = run.result;
  fmt::print("\nresult: {} after phase {}", r.status, ref::to_string(r.reached));
  if (!r.abort_cause.empty()) fmt::print(" (aborted: {}; rolled back)", r.abort_cause);
  for (const auto& c : r.conflicts) fmt::print("\n  conflict {}: {}", c.rule_id(), c.detail());
  for (const auto& w : r.warnings) fmt::print("\n  warning: {}", w);
  fmt::print(
      "\ntotal {:.3f} s, downtime {:.1f} ms ({:.1f} ms of it comparing memory digests), "
      "{:.1f} MiB sent in {} rounds",
      r.total_seconds, r.downtime_seconds * 1000, r.verify_seconds * 1000, mib(r.bytes_sent),
      r.rounds.size());
  if (r.status == "$T" || r.status == "$TW") {
    fmt::print(", target memory digest {}", r.digest_matched ? "equal" : "DIFFERENT");
  }
  if (run.memory_compared) {
    fmt::print(", byte-for-byte {}", run.memory_identical ? "identical" : "DIFFERENT");
  }
  fmt::print("\n");
  if (run.source_check) {
    fmt::print("{}\n", run.source_check->summary(run.installation, run.vm, run.source_su));
  }
}

}  // namespace

void print_header(const MigrateRun& run) {
  const auto& in = run.installation;
  const auto& vm = in.vm(run.vm);
  fmt::print("lmc migrate: {} (index {}, {:.0f} MiB, {} pages) from {} to {}, transport {}, {}\n",
             vm.name, vm.index, mib(run.pages * ref::kPageSize), run.pages, in.su(vm.su).name(),
             in.su(run.target).name(), run.transport,
             in.clock().is_virtual() ? "virtual clock" : "real time");
}

void print_round(const ref::RoundReport& round) {
  fmt::print(
      "  {:>10}: {:8} pages sent, {:8} dirty left, {:8.3f} s, {:7.1f} MiB/s{}\n",
      round.final_copy ? std::string("final copy") : fmt::format("round {:2}", round.round),
      round.pages_sent, round.dirty_left, round.seconds,
      round.bandwidth_bytes_per_second / (1024 * 1024),
      round.throttle < 1 ? fmt::format(", guest throttled to {:.0f} %", round.throttle * 100) : "");
  std::fflush(stdout);
}

void print_report(const MigrateRun& run) {
  print_console(run.installation);
  print_events_and_audit(run.installation);
  print_vm(run);
  print_outcome(run);
}

std::string report_json(const MigrateRun& run) {
  const auto& r = run.result;
  const auto& in = run.installation;
  nlohmann::json j;
  j["vm"] = in.vm(run.vm).name;
  j["target"] = in.su(run.target).name();
  j["transport"] = run.transport;
  j["status"] = r.status;
  j["statuses"] = r.statuses;
  j["phase_reached"] = ref::to_string(r.reached);
  j["abort_cause"] = r.abort_cause;
  j["warnings"] = r.warnings;
  j["pages"] = run.pages;
  j["total_seconds"] = r.total_seconds;
  j["downtime_seconds"] = r.downtime_seconds;
  j["verify_seconds"] = r.verify_seconds;
  j["bytes_sent"] = r.bytes_sent;
  j["digest_matched"] = r.digest_matched;
  j["notes"] = r.notes;
  j["interrupted_by"] =
      r.interrupted_by == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.interrupted_by);
  if (run.source_check) {
    const auto& c = *run.source_check;
    j["source_check"] = {{"whole", c.whole()},
                         {"runs_on_source_alone", c.runs_on_source_alone},
                         {"definition_names_source",
                          c.definition_names_source ? nlohmann::json(*c.definition_names_source)
                                                    : nlohmann::json(nullptr)},
                         {"target_holds_nothing", c.target_holds_nothing},
                         {"memory_whole", c.memory_whole ? nlohmann::json(*c.memory_whole)
                                                         : nlohmann::json(nullptr)},
                         {"writes_replayed", c.writes}};
  }
  if (run.memory_compared) j["memory_identical"] = run.memory_identical;
  for (const auto& c : r.conflicts) {
    j["conflicts"].push_back(conflict_to_json(c));
  }
  for (const auto& round : r.rounds) {
    j["rounds"].push_back({{"round", round.round},
                           {"pages_sent", round.pages_sent},
                           {"dirty_left", round.dirty_left},
                           {"seconds", round.seconds},
                           {"wire_bytes", round.wire_bytes},
                           {"throttle", round.throttle},
                           {"final_copy", round.final_copy}});
  }
  for (const auto& line : in.console().lines()) {
    j["console"].push_back({{"time", line.time},
                            {"console", ref::to_string(line.console)},
                            {"unit", line.unit},
                            {"text", line.text}});
  }
  for (const auto& e : in.cluster_manager().events()) {
    j["events"].push_back({{"time", e.time},
                           {"weight", ref::to_string(e.weight)},
                           {"unit", e.unit},
                           {"text", e.text}});
  }
  for (const auto& a : in.audit_log()) {
    j["audit"].push_back({{"time", a.time},
                          {"user", a.user},
                          {"unit", a.unit},
                          {"action", a.action},
                          {"result", a.result}});
  }
  const auto& vm = in.vm(run.vm);
  j["live_mig_count"] = vm.live_mig_count;
  j["guest_monjv"] = std::string(vm.monjv.bytes().begin(), vm.monjv.bytes().end());
  return versioned_json("lmc-migrate", 1, j);
}

}  // namespace lmc::cli
