#include "properties/conformance/abstraction.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>

#include "refimpl/lm/page_versions.hpp"

namespace lmc::ref {
namespace {

using cluster::kNone;
using cluster::kNoPage;

std::uint8_t mask_of(const std::vector<bool>& bits) {
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < bits.size() && i < 8; ++i) {
    if (bits[i]) mask |= static_cast<std::uint8_t>(1u << i);
  }
  return mask;
}

std::uint8_t unit(int id) {
  return id < 0 ? kNone : static_cast<std::uint8_t>(id);
}

cluster::Jv jv_of(const std::string& status) {
  if (status == "$S") return cluster::Jv::accepted_S;
  if (status == "$R") return cluster::Jv::running_R;
  if (status == "$T") return cluster::Jv::ended_T;
  if (status == "$TW") return cluster::Jv::ended_warning_TW;
  if (status == "$AE") return cluster::Jv::aborted_AE;
  if (status == "$AF") return cluster::Jv::rejected_AF;
  return cluster::Jv::none;
}

cluster::GuestJv guest_jv_of(const GuestMonJv& jv) {
  if (jv.field(1, 3).rfind("$T", 0) == 0) return cluster::GuestJv::terminated;
  if (jv.field(87, 94) == "MIGR-OUT") return cluster::GuestJv::migr_out;
  return cluster::GuestJv::monitoring;
}

std::uint8_t page_version(const GuestMemory& memory, int vm, std::size_t page) {
  return page_versions::read(memory.page(page), vm, page).value_or(kTornPage);
}

/// The target's copy of a page: kNoPage until a version arrived (the target
/// allocates zeroed memory).
std::uint8_t copy_version(const GuestMemory* target, int vm, std::size_t page) {
  if (target == nullptr) return kNoPage;
  const auto bytes = target->page(page);
  bool zero = true;
  for (const auto b : bytes) zero = zero && b == std::byte{0};
  return zero ? kNoPage : page_version(*target, vm, page);
}

void abstract_hardware(const ClusterDriver& d, cluster::State& s) {
  const auto& in = d.installation();
  const auto& cm = in.cluster_manager();
  const auto& c = d.config();
  for (int m = 0; m < static_cast<int>(c.mus.size()); ++m) {
    if (cm.mu_running(m)) s.mu_up |= static_cast<std::uint8_t>(1u << m);
  }
  for (int u = 0; u < in.su_count(); ++u) {
    if (cm.su_running(u)) s.su_up |= static_cast<std::uint8_t>(1u << u);
    s.free_memory[static_cast<std::size_t>(u)] = static_cast<std::int8_t>(in.su(u).free_memory());
  }
  for (int l = 0; l < c.isl_links; ++l) {
    if (cm.isl_link_up(l)) s.isl_up |= static_cast<std::uint8_t>(1u << l);
  }
  for (int m = 0; m < in.crd().mirror_count(); ++m) {
    const auto mirror = in.crd().status(m);
    if (mirror.failed) s.mirror_failed |= static_cast<std::uint16_t>(1u << m);
    if (mirror.stale) s.mirror_stale |= static_cast<std::uint16_t>(1u << m);
    if (mirror.generation < in.crd().generation()) {
      s.mirror_behind |= static_cast<std::uint16_t>(1u << m);
    }
  }
  if (const auto active = cm.active_mu()) s.cm_role = static_cast<std::uint8_t>(1u << *active);
  s.cm_lease = cm.lease_holder() ? static_cast<std::uint8_t>(*cm.lease_holder()) : kNone;
}

void abstract_vm(const ClusterDriver& d, int v, cluster::State& s) {
  const auto& in = d.installation();
  const auto& record = in.vm(v);
  const auto& lm = d.migration(v);
  auto& vm = s.vm[static_cast<std::size_t>(v)];
  vm.owner = unit(record.su);
  vm.state = static_cast<std::uint8_t>(record.state);
  vm.exec = record.executing;
  for (int u = 0; u < in.su_count(); ++u) {
    if (in.su(u).holds(v)) vm.resident |= static_cast<std::uint8_t>(1u << u);
  }
  // VM-INDEX=*ANY: the index VM2000 gave it, read off the holdings (the
  // model keeps a fixed index in its configuration, not in the state).
  if (in.vm_spec(v).index == 0) {
    if (const auto* held = in.su(record.su).holding(v)) vm.index = unit(held->index);
    const auto& r = lm.record();
    const bool active = r.phase != StepPhase::idle && r.phase != StepPhase::done;
    if (const auto* reserved = active ? in.su(r.target).holding(v) : nullptr) {
      s.lm[static_cast<std::size_t>(v)].target_index = unit(reserved->index);
    }
  }
  vm.attached = mask_of(record.attached);
  vm.target_devices = mask_of(lm.target_devices());
  vm.guest_jv = static_cast<std::uint8_t>(guest_jv_of(record.monjv));
  vm.migrations = static_cast<std::uint8_t>(record.live_mig_count);
  vm.copy.fill(kNoPage);
  const auto& memory = d.guest(v).memory();
  const auto* target = lm.target_memory();
  for (std::size_t p = 0; p < memory.pages() && p < cluster::kMaxPages; ++p) {
    vm.memory[p] = page_version(memory, v, p);
    vm.copy[p] = copy_version(target, v, p);
  }
}

void abstract_lm(const ClusterDriver& d, int v, cluster::State& s) {
  const auto& r = d.migration(v).record();
  auto& lm = s.lm[static_cast<std::size_t>(v)];
  lm.phase = static_cast<std::uint8_t>(r.phase);
  lm.jv = static_cast<std::uint8_t>(jv_of(r.jv));
  lm.source = unit(r.source);
  lm.target = unit(r.target);
  lm.round = static_cast<std::uint8_t>(r.rounds);
  lm.dirty = mask_of(d.migration(v).dirty_pages());
  lm.detached = mask_of(r.detached);
  lm.cause = static_cast<std::uint8_t>(r.cause);
  lm.abort_phase = static_cast<std::uint8_t>(r.abort_phase);
  lm.snapshot_state = static_cast<std::uint8_t>(r.state_at_request);
  lm.snapshot_attached = mask_of(r.attached_at_request);
}

template <class T>
void compare(std::vector<std::string>& out, const std::string& name, T a, T b) {
  if (a != b) out.push_back(fmt::format("{}: implementation {} vs model {}", name, +a, +b));
}

}  // namespace

cluster::State abstract(const ClusterDriver& driver) {
  cluster::State s;
  abstract_hardware(driver, s);
  for (int v = 0; v < driver.vm_count(); ++v) {
    abstract_vm(driver, v, s);
    abstract_lm(driver, v, s);
  }
  return s;
}

cluster::State project(cluster::State s) {
  s.faults_left = s.requests_left = 0;
  s.stale_read = s.milestones = s.spare = 0;
  s.view_mu = s.view_su = s.view_isl = s.view_crd_degraded = 0;
  s.liveness_expired = 0;
  for (auto& vm : s.vm) vm.writes_left = 0;
  for (auto& lm : s.lm) lm.verdict = 0;
  return s;
}

std::vector<std::string> differences(const cluster::State& a, const cluster::State& b) {
  std::vector<std::string> out;
  compare(out, "mu_up", a.mu_up, b.mu_up);
  compare(out, "su_up", a.su_up, b.su_up);
  compare(out, "isl_up", a.isl_up, b.isl_up);
  compare(out, "mirror_failed", a.mirror_failed, b.mirror_failed);
  compare(out, "mirror_stale", a.mirror_stale, b.mirror_stale);
  compare(out, "mirror_behind", a.mirror_behind, b.mirror_behind);
  compare(out, "cm_role", a.cm_role, b.cm_role);
  compare(out, "cm_lease", a.cm_lease, b.cm_lease);
  for (std::size_t u = 0; u < a.free_memory.size(); ++u) {
    compare(out, fmt::format("free_memory[{}]", u), a.free_memory[u], b.free_memory[u]);
  }
  for (std::size_t v = 0; v < a.vm.size(); ++v) {
    const auto &x = a.vm[v], &y = b.vm[v];
    const auto n = [&](const char* field) { return fmt::format("vm[{}].{}", v, field); };
    compare(out, n("owner"), x.owner, y.owner);
    compare(out, n("state"), x.state, y.state);
    compare(out, n("exec"), x.exec, y.exec);
    compare(out, n("resident"), x.resident, y.resident);
    compare(out, n("attached"), x.attached, y.attached);
    compare(out, n("target_devices"), x.target_devices, y.target_devices);
    compare(out, n("guest_jv"), x.guest_jv, y.guest_jv);
    compare(out, n("migrations"), x.migrations, y.migrations);
    compare(out, n("index"), x.index, y.index);
    for (std::size_t p = 0; p < x.memory.size(); ++p) {
      compare(out, fmt::format("vm[{}].memory[{}]", v, p), x.memory[p], y.memory[p]);
      compare(out, fmt::format("vm[{}].copy[{}]", v, p), x.copy[p], y.copy[p]);
    }
    const auto &l = a.lm[v], &m = b.lm[v];
    const auto k = [&](const char* field) { return fmt::format("lm[{}].{}", v, field); };
    compare(out, k("phase"), l.phase, m.phase);
    compare(out, k("jv"), l.jv, m.jv);
    compare(out, k("source"), l.source, m.source);
    compare(out, k("target"), l.target, m.target);
    compare(out, k("round"), l.round, m.round);
    compare(out, k("dirty"), l.dirty, m.dirty);
    compare(out, k("detached"), l.detached, m.detached);
    compare(out, k("cause"), l.cause, m.cause);
    compare(out, k("abort_phase"), l.abort_phase, m.abort_phase);
    compare(out, k("snapshot_state"), l.snapshot_state, m.snapshot_state);
    compare(out, k("snapshot_attached"), l.snapshot_attached, m.snapshot_attached);
    compare(out, k("target_index"), l.target_index, m.target_index);
  }
  return out;
}

/// The SU's books counted again from what it holds, apart from the code that
/// keeps them (the verdict issue, item 7): its free memory is its memory
/// less the mapped extents and every holding; no device is held by two VMs
/// where either holds it exclusively, nor by any VM where a VM outside the
/// configuration holds it; no index is held twice.
void recount_su(const Installation& in, int u, std::vector<std::string>& out) {
  const auto& su = in.su(u);
  int used = su.spec().mapped_memory();
  for (const auto& [vm, holding] : su.holdings()) used += holding.memory;
  if (su.free_memory() != su.spec().memory - used) {
    out.push_back(fmt::format("I6: {} reports {} free memory, its holdings leave {}", su.name(),
                              su.free_memory(), su.spec().memory - used));
  }
  const auto& outside = su.spec().exclusively_used;
  std::map<int, int> indexes;
  for (const auto& [vm, holding] : su.holdings()) {
    if (holding.index > 0 && !indexes.emplace(holding.index, vm).second) {
      out.push_back(fmt::format("I6: VM index {} held twice on {}", holding.index, su.name()));
    }
    for (const auto& use : holding.devices) {
      if (std::find(outside.begin(), outside.end(), use.id) != outside.end()) {
        out.push_back(fmt::format("I6: {} holds device {} on {}, held outside the configuration",
                                  holding.name, use.id, su.name()));
      }
      for (const auto& [other, theirs] : su.holdings()) {
        if (other <= vm) continue;
        for (const auto& their : theirs.devices) {
          if (their.id == use.id && (use.exclusive || their.exclusive)) {
            out.push_back(fmt::format("I6: device {} assigned to {} and {} on {}", use.id,
                                      holding.name, theirs.name, su.name()));
          }
        }
      }
    }
  }
}

std::vector<std::string> check_real_invariants(const ClusterDriver& d) {
  std::vector<std::string> out;
  const auto& in = d.installation();
  for (int v = 0; v < d.vm_count(); ++v) {
    const auto& record = in.vm(v);
    const auto& lm = d.migration(v);
    if (std::popcount(record.executing) > 1) {
      out.push_back(
          fmt::format("I1: {} executes on {} SUs", record.name, std::popcount(record.executing)));
    }
    int holders = 0;
    for (int u = 0; u < in.su_count(); ++u) holders += in.su(u).holds(v);
    const auto phase = lm.record().phase;
    const bool target_may_hold = phase >= StepPhase::memcopy && phase <= StepPhase::committed;
    if (holders > (target_may_hold ? 2 : 1)) {
      out.push_back(fmt::format("I4/I6: {} is held on {} SUs outside an LM", record.name, holders));
    }
    const auto& memory = d.guest(v).memory();
    for (std::size_t p = 0; p < memory.pages(); ++p) {
      if (!page_versions::read(memory.page(p), v, p)) {
        out.push_back(fmt::format("I5: page {} of {} is not a whole version", p, record.name));
      }
    }
    const auto* target = lm.target_memory();
    if (phase == StepPhase::committed && target != nullptr &&
        std::memcmp(target->data(), memory.data(), memory.bytes()) != 0) {
      out.push_back(
          fmt::format("I5: {} resumed on the target with memory that differs from "
                      "the source's at the suspend",
                      record.name));
    }
    const auto owner = in.definition_owner(v);
    if (owner && *owner != record.su) {
      out.push_back(fmt::format("I2: the CRD says {} belongs to SU {}, VM2000 says {}", record.name,
                                *owner, record.su));
    }
  }
  for (int u = 0; u < in.su_count(); ++u) {
    if (in.su(u).free_memory() < 0) {
      out.push_back(
          fmt::format("I6: {} has {} free memory", in.su(u).name(), in.su(u).free_memory()));
    }
    recount_su(in, u, out);
  }
  if (const auto problem = in.crd().verify(); !problem.empty()) out.push_back("I9: " + problem);
  return out;
}

}  // namespace lmc::ref
