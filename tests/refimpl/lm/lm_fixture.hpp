#pragma once
// A deterministic LM on a preset: virtual clock, in-process target, a CRD in
// a temporary directory that is removed afterwards.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "model/cluster/config/config.hpp"
#include "refimpl/lm/live_migration.hpp"
#include "refimpl/transport/in_process_channel.hpp"
#include "refimpl/transport/target_runtime.hpp"

namespace lmc::ref::testing {

inline cluster::Config preset(const std::string& name) {
  cluster::ConfigError error;
  auto config = cluster::parse_config(*cluster::preset_json(name), "preset " + name, error);
  REQUIRE(config);
  return *config;
}

inline std::filesystem::path fresh_directory(const std::string& tag) {
  static int counter = 0;
  auto path =
      std::filesystem::temp_directory_path() /
      ("lmc-lm-test-" + std::to_string(::getpid()) + "-" + tag + "-" + std::to_string(++counter));
  std::filesystem::remove_all(path);
  return path;
}

/// What rollback must restore (A3, I4): the VM's record and the holdings of
/// both SUs, and the definition's owner on the CRD.
struct ClusterSnapshot {
  int su = 0;
  int index = 0;
  std::vector<bool> attached;
  int executing_on = -1;
  int live_mig_count = 0;
  bool source_holds = false;
  bool target_holds = false;
  int target_free_memory = 0;
  std::optional<int> owner;
  std::string monjv;

  static ClusterSnapshot take(const Installation& in, int vm, int target) {
    const auto& r = in.vm(vm);
    return {r.su,
            r.index,
            r.attached,
            r.executing_on(),
            r.live_mig_count,
            in.su(r.su).holds(vm),
            in.su(target).holds(vm),
            in.su(target).free_memory(),
            in.definition_owner(vm),
            std::string(r.monjv.bytes().begin(), r.monjv.bytes().end())};
  }
  bool operator==(const ClusterSnapshot&) const = default;
};

struct LmRun {
  explicit LmRun(const std::string& preset_name, std::size_t pages = 512,
                 WorkloadSpec workload = {}, TargetFaults faults = {})
      : crd_dir(fresh_directory(preset_name)),
        clock(Clock::virtual_time()),
        installation(preset(preset_name), clock, crd_dir),
        runtime(faults),
        channel(runtime, 1),
        guest(pages, workload) {
    vm = 0;
    target = *installation.config().partner_of(installation.vm(vm).su);
  }
  ~LmRun() {
    std::error_code ignored;
    std::filesystem::remove_all(crd_dir, ignored);
  }

  MigrationResult migrate(MigrationOptions options = {}) {
    options.target_discard_on_link_loss = [this] { runtime.handle({Control::release, 0, {}}); };
    LiveMigration lm(installation, vm, target, guest, channel, std::move(options));
    return lm.run();
  }

  bool target_memory_equals_source() const {
    const auto* m = runtime.memory();
    return m && m->bytes() == guest.memory().bytes() &&
           std::memcmp(m->data(), guest.memory().data(), m->bytes()) == 0;
  }

  std::filesystem::path crd_dir;
  Clock clock;
  Installation installation;
  TargetRuntime runtime;
  InProcessChannel channel;
  Guest guest;
  int vm = 0;
  int target = 0;
};

}  // namespace lmc::ref::testing
