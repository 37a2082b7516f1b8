#pragma once
// The reference implementation driven by the model's actions (issue 6): one
// Installation with its CRD files and Cluster Manager, one guest with real
// memory per VM, one SteppedMigration per VM. apply() performs one model
// action on the implementation, using only the implementation's own guards,
// and says whether the implementation could. The abstraction function
// (abstraction.hpp) maps what the driver holds back into the model's state.
//
// The lease's expiry and takeover are driven one at a time; the model's
// heartbeat observation and liveness records have no step of their own here:
// the implementation does them inside its heartbeat round, and its liveness
// is time-based. So /RECOVER-VM-DEFINITION, which waits for a
// liveness record to time out, is not driven either (definitions.hpp).
// implements() says which kinds the driver performs.

#include <filesystem>
#include <memory>
#include <vector>

#include "model/cluster/cluster_model.hpp"
#include "refimpl/core/clock.hpp"
#include "refimpl/lm/guest.hpp"
#include "refimpl/lm/installation.hpp"
#include "refimpl/lm/stepped_migration.hpp"

namespace lmc::ref {

class ClusterDriver {
 public:
  /// The CRD files go to a fresh directory under the system's temporary
  /// directory, removed again by the destructor.
  explicit ClusterDriver(const cluster::Config& config);
  ~ClusterDriver();
  ClusterDriver(const ClusterDriver&) = delete;
  ClusterDriver& operator=(const ClusterDriver&) = delete;

  static bool implements(cluster::Kind kind);
  /// Performs `action`; false when the implementation does not allow it now,
  /// or names a unit the configuration does not have (and then nothing
  /// changed).
  bool apply(const cluster::Action& action);

  const cluster::Config& config() const { return installation_->config(); }
  Installation& installation() { return *installation_; }
  const Installation& installation() const { return *installation_; }
  int vm_count() const { return static_cast<int>(guests_.size()); }
  const Guest& guest(int vm) const { return *guests_[static_cast<std::size_t>(vm)]; }
  const SteppedMigration& migration(int vm) const { return *lms_[static_cast<std::size_t>(vm)]; }
  int pages_per_vm() const { return pages_; }

 private:
  bool unit_exists(const cluster::Action& action) const;
  bool apply_hardware(const cluster::Action& action);
  bool apply_lm(const cluster::Action& action);
  bool crash_su(int su);
  SteppedMigration& lm(int vm) { return *lms_[static_cast<std::size_t>(vm)]; }

  std::filesystem::path directory_;
  Clock clock_;
  std::unique_ptr<Installation> installation_;
  int pages_ = 0;
  std::vector<std::unique_ptr<Guest>> guests_;
  std::vector<std::unique_ptr<SteppedMigration>> lms_;
};

}  // namespace lmc::ref
