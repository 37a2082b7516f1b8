#include "model/cluster/outputs.hpp"

#include <fmt/core.h>

#include <string_view>

#include "model/cluster/prerequisites.hpp"

namespace lmc::cluster {
namespace {

struct Context {
  const ClusterModel& model;
  const Config& c;
  const State& before;
  const State& after;
  int v;  ///< VM index for LM and definition actions
};

std::string console(const char* who, const std::string& unit, const std::string& text) {
  return fmt::format("[{} {}] {}", who, unit, text);
}

std::string event(const char* weight, const std::string& text) {
  return fmt::format("[event {}] {}", weight, text);
}

bool s390(const Context& x, int su) {
  return x.c.sus[su].arch == Arch::s390;
}

void device_lines(const Context& x, std::uint8_t devices, const char* who, int su,
                  const char* message, const char* verb, std::vector<std::string>& out) {
  const auto& vm = x.c.vms[x.v];
  for (int d = 0; d < static_cast<int>(vm.devices.size()); ++d) {
    if (devices >> d & 1) {
      const bool guest = std::string_view(who) == "guest";
      out.push_back(
          console(who, guest ? vm.name : x.c.sus[su].name,
                  fmt::format("{} DEVICE {} {} VM {}", message, vm.devices[d].id, verb, vm.name)));
    }
  }
}

void request_outputs(const Context& x, std::vector<std::string>& out) {
  const auto& lm = x.after.lm[x.v];
  const auto& name = x.c.vms[x.v].name;
  const auto& source = x.c.sus[lm.source].name;
  if (static_cast<Jv>(lm.jv) == Jv::rejected_AF) {
    const int fixed = x.c.vms[x.v].index;
    const auto id = vm_id(fixed > 0 ? fixed : x.before.vm[x.v].index, name);
    const auto& target = x.c.sus[lm.target].name;
    for (const auto& conflict : x.model.conflicts(x.before, x.v, lm.target)) {
      out.push_back(console("source", source, rejected_line(id, target, conflict)));
    }
    out.push_back(console("source", source, not_possible_line(id, target)));
  }
  out.push_back(fmt::format("MONJV of the request: {}", jv_name(lm.jv)));
}

void start_outputs(const Context& x, std::vector<std::string>& out) {
  const auto& lm = x.after.lm[x.v];
  const auto& name = x.c.vms[x.v].name;
  if (s390(x, lm.source)) {
    out.push_back(console("source", x.c.sus[lm.source].name,
                          fmt::format("VMS2450 LIVE MIGRATION OF VM {} STARTED", name)));
    out.push_back(console("guest", name, "ETMDR01 LIVE MIGRATION STARTED"));
    out.push_back(console("guest", name, "MCS1002 RECOVERY-START LOCKED"));
  } else {
    out.push_back(console("source", x.c.sus[lm.source].name,
                          fmt::format("VMS6020 LIVE MIGRATION OF VM {} STARTED", name)));
  }
  device_lines(x, lm.detached, "guest", lm.source, "LMC-DETACH", "DETACHED FROM", out);
  out.push_back("MONJV of the request: $R; guest MONJV: MIGR-OUT");
}

void reserve_outputs(const Context& x, std::vector<std::string>& out) {
  const auto& lm = x.after.lm[x.v];
  const auto& name = x.c.vms[x.v].name;
  const auto& target = x.c.sus[lm.target].name;
  if (s390(x, lm.target)) {
    out.push_back(
        console("target", target, fmt::format("VMS2430 VM {} CREATED FOR LIVE MIGRATION", name)));
    out.push_back(console("target", target, fmt::format("VMS3050 VM {} MEMORY ALLOCATED", name)));
  }
  device_lines(x, x.after.vm[x.v].target_devices, "target", lm.target, "VMS4005", "ASSIGNED TO",
               out);
}

void switchover_outputs(const Context& x, Kind kind, std::vector<std::string>& out) {
  const auto& lm = x.after.lm[x.v];
  const auto& name = x.c.vms[x.v].name;
  const auto& source = x.c.sus[lm.source].name;
  const auto& target = x.c.sus[lm.target].name;
  if (kind == Kind::suspend) {
    out.push_back(s390(x, lm.source)
                      ? console("source", source, fmt::format("VMS2452 VM {} SUSPENDED", name))
                      : console("source", source, "HAL0331 SUSPEND"));
    out.push_back(event("NOTICE", fmt::format("VM '{}' paused on {}", name, source)));
    return;
  }
  if (s390(x, lm.target)) {
    out.push_back(console("guest", name, "ETMDR03 SYSTEM RESUMED ON TARGET"));
    out.push_back(console("target", target, fmt::format("VMS2432 VM {} RESUMED", name)));
    out.push_back(console("guest", name, "BCA07DC / BCA05EC LINES ACTIVE"));
    out.push_back(console("guest", name, "MCS1002 RECOVERY-START AUTOMATIC"));
  } else {
    out.push_back(console("target", target, "HAL0332 RESUME"));
  }
  out.push_back(event("NOTICE", fmt::format("VM '{}' created on {}", name, target)));
}

void cleanup_outputs(const Context& x, std::vector<std::string>& out) {
  const auto& lm = x.after.lm[x.v];
  const auto& name = x.c.vms[x.v].name;
  const auto& source = x.c.sus[lm.source].name;
  const auto& target = x.c.sus[lm.target].name;
  if (s390(x, lm.source)) {
    out.push_back(
        console("target", target, fmt::format("VMS2431 LIVE MIGRATION OF VM {} COMPLETED", name)));
    device_lines(x, x.model.topology().all_devices(x.v) & ~lm.detached, "source", lm.source,
                 "VMS4009", "REMOVED FROM", out);
    out.push_back(console("source", source, fmt::format("VMS4024 VM {} TERMINATED", name)));
    out.push_back(
        console("source", source, fmt::format("VMS2451 LIVE MIGRATION OF VM {} COMPLETED", name)));
  } else {
    out.push_back(
        console("source", source, fmt::format("VMS6021 LIVE MIGRATION OF VM {} COMPLETED", name)));
    out.push_back(console("target", target, "VMS2050 VM ACTIVE"));
    out.push_back(event("NOTICE", fmt::format("VM '{}' deactivated on {}", name, source)));
  }
  out.push_back(event("NOTICE", fmt::format("VM '{}' deleted on {}", name, source)));
  out.push_back(fmt::format("MONJV of the request: {}; guest MONJV: $T; LIVE-MIG-COUNT {}",
                            jv_name(lm.jv), x.after.vm[x.v].migrations));
}

void abort_outputs(const Context& x, std::vector<std::string>& out) {
  const auto& lm = x.after.lm[x.v];
  const auto& name = x.c.vms[x.v].name;
  const auto& source = x.c.sus[lm.source].name;
  if (static_cast<Cause>(lm.cause) == Cause::nonconvergence) {
    out.push_back(console(
        "source", source,
        fmt::format("VMS2425 LIVE MIGRATION OF VM {} ABORTED: MEMORY DOES NOT CONVERGE", name)));
  } else {
    out.push_back(
        console("source", source, fmt::format("LMC-ABORT LIVE MIGRATION OF VM {} ABORTED", name)));
  }
  // Only what the step really reattached: a buggy rollback shows as a gap.
  const auto reattached =
      static_cast<std::uint8_t>(x.after.vm[x.v].attached & ~x.before.vm[x.v].attached);
  device_lines(x, reattached, "guest", lm.source, "LMC-ATTACH", "REATTACHED TO", out);
  out.push_back(fmt::format("rollback: the guest continues on {}; {} holds nothing of it", source,
                            x.c.sus[lm.target].name));
  out.push_back(fmt::format("MONJV of the request: {}", jv_name(lm.jv)));
}

void status_events(const Context& x, std::vector<std::string>& out) {
  const auto& t = x.model.topology();
  for (int m = 0; m < static_cast<int>(x.c.mus.size()); ++m) {
    const bool was = x.before.view_mu >> m & 1;
    const bool now = x.after.view_mu >> m & 1;
    if (was != now) {
      out.push_back(event(
          now ? "NOTICE" : "WARNING",
          fmt::format("Network heartbeat of unit '{}' changed from '{}' to '{}'", x.c.mus[m].name,
                      was ? "NORMAL" : "NOT_ACCESSIBLE", now ? "NORMAL" : "NOT_ACCESSIBLE")));
    }
  }
  for (int su = 0; su < static_cast<int>(x.c.sus.size()); ++su) {
    const bool was = x.before.view_su >> su & 1;
    const bool now = x.after.view_su >> su & 1;
    if (was != now) {
      out.push_back(event(
          now ? "NOTICE" : "WARNING",
          fmt::format("Network heartbeat of unit '{}' changed from '{}' to '{}'", x.c.sus[su].name,
                      was ? "NORMAL" : "NOT_ACCESSIBLE", now ? "NORMAL" : "NOT_ACCESSIBLE")));
    }
  }
  auto weight = [](Status s) {
    return s == Status::error ? "ERROR" : s == Status::warning ? "WARNING" : "NOTICE";
  };
  const auto mc_before = management_status(t, x.before);
  const auto mc_after = management_status(t, x.after);
  if (mc_before != mc_after) {
    out.push_back(
        event(weight(mc_after),
              fmt::format("Cluster state of 'Management Cluster' changed from '{}' to '{}'",
                          to_string(mc_before), to_string(mc_after))));
  }
  for (int k = 0; k < static_cast<int>(x.c.su_clusters.size()); ++k) {
    const auto was = su_cluster_status(t, x.before, k);
    const auto now = su_cluster_status(t, x.after, k);
    if (was != now) {
      out.push_back(
          event(weight(now), fmt::format("Cluster state of '{}' changed from '{}' to '{}'",
                                         x.c.su_clusters[k].name, to_string(was), to_string(now))));
    }
  }
}

}  // namespace

std::string mirror_name(const Config& config, const Mirror& mirror, int index) {
  switch (mirror.host) {
    case Mirror::Host::external:
      return fmt::format("external-{}", index + 1);
    case Mirror::Host::mu:
      return "internal-" + config.mus[mirror.unit].name;
    case Mirror::Host::su:
      return "internal-" + config.sus[mirror.unit].name;
  }
  return "?";
}

std::string action_title(const ClusterModel& model, const State& s, const Action& a) {
  const auto& c = model.config();
  const int u = a.unit;
  auto vm = [&] { return c.vms[u].name; };
  auto lm = [&](const char* what) {
    const auto& l = s.lm[u];
    const bool known = l.source != kNone && l.target != kNone;
    return fmt::format(
        "LM {}{}: {}", vm(),
        known ? fmt::format(" {} -> {}", c.sus[l.source].name, c.sus[l.target].name) : "", what);
  };
  switch (a.kind) {
    case Kind::mu_crash:
      return fmt::format("fault: MU {} crashes", c.mus[u].name);
    case Kind::su_crash:
      return fmt::format("fault: SU {} crashes", c.sus[u].name);
    case Kind::isl_down:
      return fmt::format("fault: ISL-E link {} goes down", u + 1);
    case Kind::disk_fail:
      return fmt::format("fault: configuration disk {} fails",
                         mirror_name(c, model.topology().mirrors()[u], u));
    case Kind::reserve_fails:
      return lm("fault: resources cannot be assigned on the target");
    case Kind::resume_fails:
      return lm("fault: resume on the target fails");
    case Kind::mu_restart:
      return fmt::format("MU {} restarts", c.mus[u].name);
    case Kind::su_restart:
      return fmt::format("SU {} restarts", c.sus[u].name);
    case Kind::isl_repair:
      return fmt::format("ISL-E link {} comes back", u + 1);
    case Kind::disk_repair:
      return fmt::format("configuration disk {} repaired",
                         mirror_name(c, model.topology().mirrors()[u], u));
    case Kind::disk_resync:
      return fmt::format("configuration disk {} resynchronised",
                         mirror_name(c, model.topology().mirrors()[u], u));
    case Kind::cm_lease_expire:
      return "the Cluster Manager's lease on the CRD expires";
    case Kind::cm_takeover:
      return fmt::format("MU {} takes over the Cluster Manager role", c.mus[u].name);
    case Kind::cm_observe:
      return "Cluster Manager: network heartbeat round";
    case Kind::liveness_timeout:
      return fmt::format("liveness record of {} times out", c.sus[u].name);
    case Kind::liveness_renew:
      return fmt::format("monitor of {} renews its liveness record", c.sus[u].name);
    case Kind::lm_request:
      return fmt::format("operator: /MIGRATE-VM {}", vm());
    case Kind::lm_start:
      return lm("setup, detach devices");
    case Kind::reserve_target:
      return lm("setup, create the VM on the target");
    case Kind::copy_round:
      return lm(fmt::format("memory copy round {}", s.lm[u].round + 1).c_str());
    case Kind::guest_write:
      return fmt::format("guest {} writes page {}", vm(), a.page);
    case Kind::stop_io:
      return lm("memory copy, stop guest I/O");
    case Kind::final_copy:
      return lm("memory copy, final copy");
    case Kind::suspend:
      return lm("switchover, suspend on the source");
    case Kind::hand_over:
      return lm("switchover, copy the rest and the registers");
    case Kind::resume:
      return lm("switchover, resume on the target");
    case Kind::cleanup:
      return lm("cleanup");
    case Kind::abort:
      return lm("abort and roll back");
    case Kind::abort_nonconvergence:
      return lm("abort: memory does not converge");
    case Kind::migrate_definition:
      return fmt::format("operator: /MIGRATE-VM-DEFINITION {}", vm());
    case Kind::recover_definition:
      return fmt::format("operator: /RECOVER-VM-DEFINITION {}", vm());
    case Kind::activate_vm:
      return fmt::format("operator: /ACTIVATE-VM-DEFINITION {}", vm());
    case Kind::start_vm:
      return fmt::format("operator: /START-VM {}", vm());
    case Kind::count:
      break;
  }
  return "?";
}

std::vector<std::string> step_outputs(const ClusterModel& model, const State& before,
                                      const Action& a, const State& after) {
  Context x{model, model.config(), before, after, a.unit};
  std::vector<std::string> out;
  // Any LM this step ended by an abort (whatever the action: a fault, an SU
  // crash, the source's own abort) reports its abort and rollback.
  bool aborted = false;
  for (int v = 0; v < static_cast<int>(x.c.vms.size()); ++v) {
    const bool ended = before.lm[v].phase != after.lm[v].phase &&
                       static_cast<Phase>(after.lm[v].phase) == Phase::done &&
                       static_cast<Cause>(after.lm[v].cause) != Cause::none;
    if (!ended) continue;
    Context vx{model, model.config(), before, after, v};
    abort_outputs(vx, out);
    aborted = true;
  }
  if (aborted) return out;
  switch (a.kind) {
    case Kind::lm_request:
      request_outputs(x, out);
      break;
    case Kind::lm_start:
      start_outputs(x, out);
      break;
    case Kind::reserve_target:
      reserve_outputs(x, out);
      break;
    case Kind::suspend:
    case Kind::resume:
      switchover_outputs(x, a.kind, out);
      break;
    case Kind::cleanup:
      cleanup_outputs(x, out);
      break;
    case Kind::cm_observe:
      status_events(x, out);
      break;
    case Kind::migrate_definition:
      out.push_back(
          console("source", x.c.sus[before.vm[a.unit].owner].name,
                  fmt::format("VMS2320 VM DEFINITION {} MIGRATED", x.c.vms[a.unit].name)));
      break;
    case Kind::cm_takeover:
      out.push_back(
          event("WARNING", fmt::format("Cluster Manager moved to '{}'", x.c.mus[a.unit].name)));
      break;
    default:
      break;
  }
  return out;
}

}  // namespace lmc::cluster
