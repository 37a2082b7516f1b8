// The two guarantees of LM on the reference implementation alone (issue 6),
// with generators aimed at them:
//   rollback          a fault at any point of any LM leaves the source as the
//                     guest left it (byte for byte, devices, execution) and
//                     the target holding nothing of it
//   single migration  no sequence of requests, concurrent ones included,
//                     ever runs two LMs from one source or executes one guest
//                     on two SUs
// The expected memory is computed apart from the implementation: every
// accepted guest write bumps a page version here too.

#include "properties/guarantees.hpp"

#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <bit>
#include <catch2/catch.hpp>
#include <cstring>
#include <iostream>

#include "properties/conformance_harness.hpp"
#include "refimpl/lm/page_versions.hpp"

namespace lmc::conformance {
namespace {

using cluster::Action;
using cluster::Kind;

Action act(Kind kind, int unit, int page = 0) {
  return {kind, static_cast<std::uint8_t>(unit), static_cast<std::uint8_t>(page)};
}

/// What the guest's memory must hold: the versions of its writes.
struct ExpectedMemory {
  int vm = 0;
  std::vector<std::uint8_t> versions;
  bool equals(const ref::GuestMemory& memory) const {
    std::vector<std::byte> page(ref::kPageSize);
    for (std::size_t p = 0; p < versions.size(); ++p) {
      ref::page_versions::write(page, vm, p, versions[p]);
      if (std::memcmp(page.data(), memory.page(p).data(), page.size()) != 0) return false;
    }
    return true;
  }
};

int vm_to_migrate(const cluster::Config& config) {
  if (config.scope.migrate.empty()) return 0;
  return std::max(0, config.vm_index_by_name(config.scope.migrate.front()));
}

/// The faults and repairs a step may bring, on any unit of the preset.
Action random_fault(const cluster::Config& c, int vm) {
  const int su = *rc::gen::inRange(0, static_cast<int>(c.sus.size()));
  const int mu = *rc::gen::inRange(0, static_cast<int>(c.mus.size()));
  const int link = c.isl_links > 0 ? *rc::gen::inRange(0, c.isl_links) : 0;
  const int mirror = *rc::gen::inRange(0, std::max(1, c.external_disks));
  return *rc::gen::element(act(Kind::isl_down, link), act(Kind::su_crash, su),
                           act(Kind::mu_crash, mu), act(Kind::disk_fail, mirror),
                           act(Kind::reserve_fails, vm), act(Kind::resume_fails, vm),
                           act(Kind::isl_repair, link), act(Kind::su_restart, su));
}

/// One fault that can hurt an LM of `vm`: the network between the servers
/// (every ISL-E link), either SU, an MU, a configuration disk, the target's
/// allocation or resume.
std::vector<Action> aimed_fault(const cluster::Config& c, int vm, int source, int target) {
  std::vector<Action> network;
  for (int l = 0; l < c.isl_links; ++l) network.push_back(act(Kind::isl_down, l));
  if (network.empty()) network.push_back(act(Kind::su_crash, target));
  const int mu = *rc::gen::inRange(0, static_cast<int>(c.mus.size()));
  const int mirror = *rc::gen::inRange(0, std::max(1, c.external_disks));
  return *rc::gen::element(network, std::vector<Action>{act(Kind::su_crash, target)},
                           std::vector<Action>{act(Kind::su_crash, source)},
                           std::vector<Action>{act(Kind::mu_crash, mu)},
                           std::vector<Action>{act(Kind::disk_fail, mirror)},
                           std::vector<Action>{act(Kind::reserve_fails, vm)},
                           std::vector<Action>{act(Kind::resume_fails, vm)});
}

bool apply_all(ref::ClusterDriver& d, const std::vector<Action>& actions) {
  bool any = false;
  for (const auto& a : actions) {
    if (d.apply(a)) {
      recorder().note(describe_action(a));
      any = true;
    }
  }
  return any;
}

/// The LM steps of `vm`, in the order the engine takes them, aborts last.
std::vector<Action> lm_steps(int vm) {
  std::vector<Action> out;
  for (const auto kind : {Kind::lm_start, Kind::reserve_target, Kind::copy_round, Kind::stop_io,
                          Kind::final_copy, Kind::suspend, Kind::hand_over, Kind::resume,
                          Kind::cleanup, Kind::abort, Kind::abort_nonconvergence}) {
    out.push_back(act(kind, vm));
  }
  return out;
}

void repair_everything(ref::ClusterDriver& d) {
  const auto& c = d.config();
  for (int l = 0; l < c.isl_links; ++l) d.apply(act(Kind::isl_repair, l));
  for (int u = 0; u < static_cast<int>(c.sus.size()); ++u) d.apply(act(Kind::su_restart, u));
  for (int m = 0; m < static_cast<int>(c.mus.size()); ++m) d.apply(act(Kind::mu_restart, m));
  for (int m = 0; m < d.installation().crd().mirror_count(); ++m) {
    d.apply(act(Kind::disk_repair, m));
    d.apply(act(Kind::disk_resync, m));
  }
}

/// Tries the LM's steps in order until one runs; false when none can.
bool advance(ref::ClusterDriver& d, int vm, const std::string& why) {
  for (const auto& step : lm_steps(vm)) {
    if (d.apply(step)) {
      recorder().note(why + describe_action(step));
      return true;
    }
  }
  return false;
}

}  // namespace

std::string describe_action(const cluster::Action& action) {
  static const cluster::ClusterModel names(conformance_config("default"), cluster::Mutant::none);
  return describe(names, action);
}

void check_rollback(const std::string& preset) {
  const auto config = conformance_config(preset);
  ref::ClusterDriver d(config);
  const int vm = vm_to_migrate(config);
  const auto& in = d.installation();
  const auto& record = in.vm(vm);
  const int source = record.su;
  const auto target_opt = config.partner_of(source);
  RC_PRE(target_opt.has_value());
  const int target = *target_opt;
  const auto attached = record.attached;
  const auto executing = record.executing;
  const int target_free = in.su(target).free_memory();
  ExpectedMemory expected{vm,
                          std::vector<std::uint8_t>(static_cast<std::size_t>(d.pages_per_vm()))};

  recorder().note(describe_action(act(Kind::lm_request, vm)));
  RC_ASSERT(d.apply(act(Kind::lm_request, vm)));
  // One fault, armed after a random number of LM steps, fires at the first
  // moment it can (an allocation failure only in the setup, say); guest
  // writes come between the steps.
  const int fault_at = *rc::gen::inRange(0, 12);
  const auto fault = aimed_fault(config, vm, source, target);
  bool fired = false;
  for (int step = 0; step < 40 && d.migration(vm).active(); ++step) {
    if (!fired && step >= fault_at) fired = apply_all(d, fault);
    if (*rc::gen::inRange(0, 3) == 0) {
      const int page = *rc::gen::inRange(0, d.pages_per_vm());
      if (d.apply(act(Kind::guest_write, vm, page))) {
        recorder().note(describe_action(act(Kind::guest_write, vm, page)));
        ++expected.versions[static_cast<std::size_t>(page)];
      }
    }
    if (!advance(d, vm, "")) break;  // blocked until a repair
  }
  RC_CLASSIFY(fired, "the fault fired");
  // Faults stop: repairs come and the LM runs to its end (L1).
  repair_everything(d);
  for (int i = 0; i < 40 && d.migration(vm).active(); ++i) {
    if (!advance(d, vm, "then ")) break;
  }
  const auto& lm = d.migration(vm).record();
  RC_TAG(lm.jv);
  RC_ASSERT(!d.migration(vm).active());
  const bool source_crashed =
      !in.cluster_manager().su_running(source) || lm.cause == ref::RollbackCause::source_lost;
  if (lm.jv == "$T" || lm.jv == "$TW") {
    RC_ASSERT(expected.equals(d.guest(vm).memory()));  // nothing lost on the way
    RC_ASSERT(record.su == target);
    RC_ASSERT(!in.su(source).holds(vm));
    RC_ASSERT((record.executing & ~(1u << target)) == 0u);
    return;
  }
  // Rolled back ($AE) or rejected ($AF): the source as the guest left it ...
  RC_ASSERT(expected.equals(d.guest(vm).memory()));
  RC_ASSERT(record.su == source);
  RC_ASSERT(record.attached == attached);
  if (!source_crashed) RC_ASSERT(record.executing == executing);
  RC_ASSERT(in.definition_owner(vm).value_or(source) == source);
  // ... and the target holding nothing of it.
  RC_ASSERT(!in.su(target).holds(vm));
  RC_ASSERT(d.migration(vm).target_memory() == nullptr);
  RC_ASSERT((record.executing >> target & 1u) == 0u);
  if (in.cluster_manager().su_running(target))
    RC_ASSERT(in.su(target).free_memory() == target_free);
}

void check_single_migration(const std::string& preset) {
  const auto config = conformance_config(preset);
  ref::ClusterDriver d(config);
  const int vms = d.vm_count();
  const auto& in = d.installation();
  const auto plan = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 12));
  for (const int choice : plan) {
    const int vm = *rc::gen::inRange(0, vms);
    if (choice < 3) {
      if (!d.apply(act(Kind::lm_request, vm))) continue;
      recorder().note(describe_action(act(Kind::lm_request, vm)));
    } else if (choice < 9) {
      if (!advance(d, vm, "")) continue;  // that VM's LM one step further
    } else {
      const auto fault = random_fault(config, vm);
      if (!d.apply(fault)) continue;
      recorder().note(describe_action(fault));
    }
    for (int su = 0; su < in.su_count(); ++su) {
      int running = 0;
      for (int v = 0; v < vms; ++v) {
        running += d.migration(v).active() && d.migration(v).record().source == su;
      }
      if (running > 1) RC_FAIL(in.su(su).name() + " runs two LMs at once");
    }
    for (int v = 0; v < vms; ++v) {
      if (std::popcount(in.vm(v).executing) > 1) {
        RC_FAIL(in.vm(v).name + " executes on two SUs at once");
      }
    }
  }
}

}  // namespace lmc::conformance

TEST_CASE("rollback: a fault at any point of an LM leaves the source whole", "[guarantees]") {
  using namespace lmc::conformance;
  rc::prop("on a random preset", [] {
    const auto preset = *rc::gen::elementOf(conformance_presets());
    RC_TAG(preset);
    recorded([&] { check_rollback(preset); });
  });
  std::cout << "rollback: " << recorder().summary_and_reset() << "\n";
}

TEST_CASE("single migration: one LM per source, one SU per guest", "[guarantees]") {
  using namespace lmc::conformance;
  rc::prop("on a random preset, requests interleaved", [] {
    const auto preset = *rc::gen::elementOf(conformance_presets());
    RC_TAG(preset);
    recorded([&] { check_single_migration(preset); });
  });
  std::cout << "single migration: " << recorder().summary_and_reset() << "\n";
}
