#include "refimpl/lm/live_migration.hpp"

#include <fmt/core.h>

#include <csignal>
#include <cstring>
#include <utility>

#include "refimpl/lm/messages.hpp"
#include "refimpl/lm/migration_steps.hpp"
#include "refimpl/transfer/link_model.hpp"

namespace lmc::ref {

/// Why an LM stops before its commit point; caught once in run().
struct Abort {
  std::string cause;
  bool nonconvergence = false;
  /// The step that failed was reported as the model's action that aborts
  /// (reserve_target, reserve_fails, resume_fails): no separate abort event.
  bool reported = false;
};

struct LiveMigration::Impl {
  Impl(Installation& in, int vm, int target, Guest& guest, TargetChannel& channel,
       MigrationOptions options)
      : in(in),
        v(vm),
        source(in.vm(vm).su),
        target(target),
        guest(guest),
        options(std::move(options)),
        link(in.clock(), this->options.link_bits_per_second),
        wire(channel, link),
        steps(in, vm, source, target),
        fired(this->options.faults.size(), false) {
    link.stop_when(this->options.interrupt);
  }

  Installation& in;
  int v;
  int source;
  int target;
  Guest& guest;
  MigrationOptions options;
  LinkModel link;
  LinkChannel wire;
  MigrationSteps steps;
  MigrationResult result;
  double started = 0;
  double suspended_at = 0;
  std::array<std::uint64_t, 2> digest_at_suspend{};
  std::vector<bool> fired;  ///< per planned fault: its fault point was reached

  int interrupt_signal() const { return options.interrupt ? options.interrupt->load() : 0; }

  static std::string signal_name(int signal) {
    if (signal == SIGINT) return "SIGINT";
    if (signal == SIGTERM) return "SIGTERM";
    return fmt::format("signal {}", signal);
  }

  /// An operator's interrupt before the commit point aborts the LM here.
  void check_interrupt() {
    if (const int signal = interrupt_signal()) {
      result.interrupted_by = signal;
      throw Abort{"the operator interrupted the LM (" + signal_name(signal) + ")"};
    }
  }

  bool x86() const { return in.su(source).spec().arch == cluster::Arch::x86; }
  const std::string& vm_name() const { return in.vm(v).name; }

  void status(const char* jv) { result.statuses.emplace_back(jv); }

  /// An observable step, named as the cluster model's action (on_event).
  void event(std::string_view kind, int unit) {
    if (options.on_event) options.on_event(kind, unit);
  }
  void event(std::string_view kind) { event(kind, v); }

  /// Fires the faults planned for `phase` at this phase's fault point.
  void fault_point(LmPhase phase) {
    for (std::size_t f = 0; f < options.faults.size(); ++f) {
      const auto& fault = options.faults[f];
      if (fault.phase != phase) continue;
      fired[f] = true;
      switch (fault.kind) {
        case FaultKind::link:
          // The ISL-E links carry MCNPR between the two servers only: two
          // SUs of one server keep talking (found by lmc validate on x86-local).
          steps.cut_isl_links();
          if (!in.cluster_manager().mcnpr_reachable(source, target)) {
            link.cut();
          } else {
            result.notes.push_back(fmt::format(
                "--fault {}: {} and {} are on one server; MCNPR between them does not run over "
                "the ISL-E links ({} cut), so the LM went on",
                fault.text(), in.su(source).name(), in.su(target).name(), in.config().isl_links));
          }
          for (int l = 0; l < in.config().isl_links; ++l) event("isl_down", l);
          break;
        case FaultKind::crd:
          steps.fail_every_configuration_disk();
          for (int m = 0; m < static_cast<int>(in.crd().status().size()); ++m) {
            event("disk_fail", m);
          }
          break;
        case FaultKind::disk:
          steps.fail_one_configuration_disk();
          event("disk_fail", 0);
          break;
        case FaultKind::kill:
          if (options.kill_target) options.kill_target();
          event("su_crash", target);
          break;
        case FaultKind::allocation:
        case FaultKind::resume:
          break;  // the target runtime fails the request itself
        case FaultKind::sigint:
          std::raise(SIGINT);
          break;
        case FaultKind::sigterm:
          std::raise(SIGTERM);
          break;
      }
    }
  }

  /// Runs a data-plane call; a broken link becomes an abort (A2). So does a
  /// frame the target refused, under its own name: the link was fine.
  template <typename Call>
  auto over_link(Call&& call) {
    try {
      return call();
    } catch (const TargetRejected& error) {
      throw Abort{error.what()};
    } catch (const TransportError& error) {
      check_interrupt();  // the link model stops a send on an interrupt
      throw Abort{fmt::format("the network between the servers broke ({})", error.what())};
    }
  }

  Reply control(Control op, std::uint64_t argument = 0, std::vector<std::byte> data = {}) {
    return over_link([&] { return wire.request({op, argument, std::move(data)}); });
  }

  bool request_phase() {
    result.reached = LmPhase::request;
    status("$S");
    steps.audit_command("Start");
    result.conflicts = check_vm_migration(in, v, target);
    event("lm_request");  // the model's request includes the check and a rejection
    if (result.conflicts.empty()) return true;
    steps.reject(result.conflicts);
    status("$AF");
    result.status = "$AF";
    steps.audit_command("failure: rejected");
    return false;
  }

  void setup_phase() {
    result.reached = LmPhase::setup;
    check_interrupt();
    status("$R");
    steps.announce_start();
    steps.detach_devices();
    event("lm_start");
    if (!steps.reserve_on_target()) {
      event("reserve_target");  // the model's reservation rolls back when it finds no room
      throw Abort{"the resources cannot be assigned on the target", false, true};
    }
    allocate_on_target();
    event("reserve_target");
    steps.announce_target();
    fault_point(LmPhase::setup);
    check_interrupt();
  }

  void allocate_on_target() {
    // Registered before the request: a reply lost on a cut link may still
    // have left memory allocated on the target.
    steps.on_undo([this] { discard_on_target(); });
    const auto reply = control(Control::allocate, guest.memory().pages());
    if (!reply.ok) {
      event("reserve_fails");
      throw Abort{"the target cannot allocate the memory (" + reply.error + ")", false, true};
    }
  }

  void discard_on_target() {
    try {
      wire.request({Control::release, 0, {}});
    } catch (const TransportError&) {
      if (options.target_discard_on_link_loss) options.target_discard_on_link_loss();
    }
  }

  void copy_phase() {
    result.reached = LmPhase::copy;
    auto policy = options.policy;
    policy.throttle_instead_of_abort = x86();
    Precopy precopy(guest.memory(), guest.dirty(), wire, in.clock(), &guest.workload(), policy,
                    options.transfer);
    guest.dirty().mark_all();
    const bool real_time = !in.clock().is_virtual();
    if (real_time) guest.workload().start_real_time();
    steps.on_undo([this, real_time] {
      if (real_time) guest.workload().stop();
    });
    run_rounds(precopy);
    check_interrupt();
    // I/O stop: requests queue from here on; one more round copies what the
    // guest wrote meanwhile (WP §4.4 phase 2).
    steps.stop_io();
    event("stop_io");
    record(over_link([&] { return precopy.round(); }));
    event("final_copy");
    if (real_time) guest.workload().stop();
    check_interrupt();
    switchover_phase(precopy);
  }

  void run_rounds(Precopy& precopy) {
    bool first = true;
    while (true) {
      record(over_link([&] { return precopy.round(); }));
      event("copy_round");
      if (first) fault_point(LmPhase::copy);
      first = false;
      check_interrupt();
      const auto verdict = precopy.verdict();
      if (verdict == PrecopyVerdict::stop_and_copy) return;
      if (verdict == PrecopyVerdict::not_converging) {
        throw Abort{"VMS2425 the dirtied pages cannot be transferred fast enough", true};
      }
    }
  }

  void record(const RoundReport& round) {
    result.rounds.push_back(round);
    result.bytes_sent += round.wire_bytes;
    if (options.on_round) options.on_round(round);
  }

  void switchover_phase(Precopy& precopy) {
    result.reached = LmPhase::switchover;
    suspended_at = in.clock().now();
    steps.suspend_on_source();
    event("suspend");
    fault_point(LmPhase::switchover);
    check_interrupt();
    record(over_link([&] { return precopy.final_copy(); }));
    control(Control::cpu_state, 0, steps.registers());
    event("hand_over");
    const double verify_start = in.clock().now();
    digest_at_suspend = guest.memory().digest();
    const auto digest = control(Control::digest);
    result.verify_seconds = in.clock().now() - verify_start;
    result.digest_matched = digest.ok && digest.data.size() == 16 &&
                            std::memcmp(digest.data.data(), digest_at_suspend.data(), 16) == 0;
    if (!result.digest_matched) throw Abort{"the target's memory differs from the source's"};
    check_interrupt();  // the last moment the LM can still be rolled back
    if (!steps.commit_owner_on_crd()) throw Abort{"the CRD takes no writes"};
    const auto resumed = control(Control::resume);
    if (!resumed.ok) {
      event("resume_fails");
      throw Abort{"resume on the target failed (" + resumed.error + ")", false, true};
    }
    event("resume");  // with the commit on the CRD, as in the model
    result.downtime_seconds = in.clock().now() - suspended_at;
    steps.resumed_on_target();
    steps.commit();  // from here on nothing is rolled back
  }

  void cleanup_phase() {
    result.reached = LmPhase::cleanup;
    fault_point(LmPhase::cleanup);
    // The target confirms the end of the LM; without its answer the guest
    // still runs there (the commit is on the CRD), but the end is not certain.
    bool confirmed = true;
    try {
      confirmed = wire.request({Control::digest, 0, {}}).ok;
    } catch (const TransportError&) {
      confirmed = false;
    }
    result.warnings = steps.clean_up_source(confirmed);
    event("cleanup");
    // $TW when devices stay detached, as the model says; the other warnings
    // (no confirmation) do not undo a completed LM.
    result.status = steps.devices_left_detached() ? "$TW" : "$T";
    status(result.status.c_str());
    steps.audit_command(result.status == "$T" ? "OK" : "OK with warning");
    result.reached = LmPhase::done;
  }

  void abort(const Abort& why) {
    if (!why.reported) event(why.nonconvergence ? "abort_nonconvergence" : "abort");
    result.abort_cause = why.cause;
    steps.roll_back(why.cause, why.nonconvergence);
    result.status = "$AE";
    status("$AE");
    steps.audit_command("failure: " + why.cause);
  }

  MigrationResult run() {
    started = in.clock().now();
    if (!request_phase()) return finish();
    try {
      setup_phase();
      copy_phase();
    } catch (const Abort& why) {
      abort(why);
      return finish();
    }
    cleanup_phase();
    return finish();
  }

  MigrationResult finish() {
    result.total_seconds = in.clock().now() - started;
    for (std::size_t f = 0; f < options.faults.size(); ++f) {
      if (fired[f]) continue;
      result.notes.push_back(fmt::format(
          "--fault {} did not fire: the LM ended ({}) before its fault point in phase {}",
          options.faults[f].text(), result.status, to_string(options.faults[f].phase)));
    }
    const int signal = interrupt_signal();
    if (signal && result.interrupted_by == 0) {
      result.interrupted_by = signal;
      const bool completed = result.status == "$T" || result.status == "$TW";
      result.notes.push_back(
          completed ? fmt::format("{} came after the commit point (the guest already ran on the "
                                  "target), so the LM completed: an LM past its commit is not "
                                  "rolled back",
                                  signal_name(signal))
                    : fmt::format("{} came when the LM had ended already ({})", signal_name(signal),
                                  result.status));
    }
    return std::move(result);
  }
};

LiveMigration::LiveMigration(Installation& installation, int vm, int target, Guest& guest,
                             TargetChannel& channel, MigrationOptions options)
    : impl_(std::make_unique<Impl>(installation, vm, target, guest, channel, std::move(options))) {}

LiveMigration::~LiveMigration() = default;

MigrationResult LiveMigration::run() {
  return impl_->run();
}

}  // namespace lmc::ref
