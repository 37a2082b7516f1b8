#pragma once
// The CRD (shared/domain.md C1-C5): one logical configuration device mirrored
// in software over several configuration disks, here one file per mirror
// under a directory (format: crd_log.hpp). The mirror protocol is the model's
// (spec/cluster/choices.md CH-1): a write goes to every accessible up-to-date
// mirror and marks every other one stale; a read uses the lowest accessible
// up-to-date mirror; repair leaves a mirror stale until it is resynchronised
// from an up-to-date one. spec/refimpl/cluster.md describes the files.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster/config/config.hpp"
#include "refimpl/cluster/crd_log.hpp"

namespace lmc::ref {

struct MirrorStatus {
  std::string name;
  bool accessible = true;        ///< not failed and reachable from where the CRD is used
  bool stale = false;            ///< missed a write (or holds a bad record): never read
  std::uint64_t generation = 0;  ///< the last write this mirror holds
  bool failed = false;           ///< the disk itself failed (fail/repair)
};

/// What one mirror's file held when the CRD was opened.
struct MirrorOpened {
  std::string name;
  std::filesystem::path path;
  bool existed = false;          ///< the file was there (else it was created empty)
  std::uint64_t bytes = 0;       ///< its size then
  std::string problem;           ///< a torn or corrupt tail, cut off; "" when sound
  std::uint64_t generation = 0;  ///< of its last sound record
  /// Held sound records only: something to read the cluster's state from.
  bool intact() const { return existed && bytes > 0 && problem.empty(); }
};

struct CrdOptions {
  /// fdatasync every append and snapshot. Off by default: a process crash
  /// keeps what write() handed to the kernel; only a machine crash needs it.
  bool durable = false;
  /// A mirror's log is rewritten as a snapshot once it exceeds this size and
  /// four times its live data (liveness records are rewritten forever).
  std::uint64_t compact_above_bytes = 1u << 20;
};

class Crd {
 public:
  /// Opens (or creates) one log file per mirror under `directory` and
  /// replays them; a torn or corrupt tail is ignored (and cut before the
  /// mirror's next write) and reported in opened() and problems(). A mirror
  /// whose generation is below the newest is stale.
  Crd(std::filesystem::path directory, std::vector<std::string> mirror_names,
      CrdOptions options = {});
  ~Crd();
  Crd(const Crd&) = delete;
  Crd& operator=(const Crd&) = delete;

  /// Writes to every accessible up-to-date mirror; every other mirror becomes
  /// stale. False, and nothing changes, when no accessible up-to-date mirror
  /// exists (the CRD is unavailable).
  bool write(std::string_view key, std::span<const std::byte> value);
  bool write_text(std::string_view key, std::string_view value);
  /// A write that removes `key`; true whenever the CRD took the write, even
  /// if the key did not exist.
  bool erase(std::string_view key);

  /// From the lowest accessible up-to-date mirror, read back from its file
  /// and checked. A record that fails its checksum is not served: the mirror
  /// is marked stale (it must be resynchronised) and the next one is asked.
  std::optional<std::vector<std::byte>> read(std::string_view key) const;
  std::optional<std::string> read_text(std::string_view key) const;
  std::vector<std::string> keys(std::string_view prefix) const;

  /// Disk failure and repair. A repaired mirror is accessible again but stays
  /// stale if it missed a write.
  void fail(int mirror);
  void repair(int mirror);
  /// Reachability from where the CRD is used (the Cluster Manager sets it:
  /// an internal disk is out of reach while its unit is off or cut off).
  void set_reachable(int mirror, bool reachable);
  /// Copies an up-to-date mirror onto a stale, accessible one, which is then
  /// up to date. False when the mirror is not stale, not accessible, or no
  /// source exists.
  bool resync(int mirror);

  bool available() const;  ///< some accessible up-to-date mirror exists
  int mirror_count() const { return static_cast<int>(mirrors_.size()); }
  std::vector<MirrorStatus> status() const;
  MirrorStatus status(int mirror) const;
  std::uint64_t generation() const;  ///< of the newest write
  /// Torn or corrupt tails cut when the files were opened, and bad records
  /// found by reads since; one line each.
  std::vector<std::string> problems() const;

  /// Liveness records of the monitor systems (C3): key "liveness/UNIT".
  bool write_liveness(std::string_view unit, double time);
  std::optional<double> liveness(std::string_view unit) const;

  /// For tests and the I9 check: re-reads every non-stale mirror's file,
  /// verifies every checksum, and that all hold the newest generation and the
  /// same key/value map. Empty when fine, else what differs.
  std::string verify() const;

  /// Per mirror, in mirror order: what its file held when it was opened.
  const std::vector<MirrorOpened>& opened() const { return opened_; }
  /// Some mirror's file existed: the directory holds a CRD from an earlier
  /// run (even if every file was emptied), not a new one.
  bool used_before() const;
  /// Empties every mirror: the CRD starts again at generation 0 (to be
  /// re-created from a configuration).
  void reset();

  /// The mirrors' log files, in mirror order (what a cleanup must remove;
  /// a snapshot in progress adds PATH.tmp beside one).
  std::vector<std::filesystem::path> files() const;

 private:
  struct Mirror {
    std::string name;
    std::filesystem::path path;
    int fd = -1;
    std::uint64_t end = 0;  ///< where the next record goes
    std::uint64_t generation = 0;
    std::map<std::string, crd::Location, std::less<>> index;
    std::uint64_t live_bytes = 0;  ///< bytes of the records in `index`
    bool failed = false;
    bool reachable = true;
    bool stale = false;
    bool tail_to_cut = false;  ///< garbage after `end`, cut before the next append
    bool accessible() const { return !failed && reachable; }
    bool up_to_date() const { return accessible() && !stale; }
  };

  bool append_everywhere(crd::RecordKind kind, std::string_view key,
                         std::span<const std::byte> value);
  bool append(Mirror& mirror, const std::vector<std::byte>& record);
  void apply(Mirror& mirror, crd::RecordKind kind, std::string_view key, std::uint64_t offset,
             std::uint32_t bytes);
  std::optional<std::vector<std::byte>> read_from(Mirror& mirror, std::string_view key) const;
  bool rewrite(Mirror& mirror, const crd::LogContents& contents);
  void maybe_compact(Mirror& mirror);
  void open_mirror(Mirror& mirror);
  Mirror& at(int mirror);
  const Mirror& at(int mirror) const;
  const Mirror* readable() const;

  std::filesystem::path directory_;
  CrdOptions options_;
  // A read that finds a bad record takes the mirror out of service, as a
  // disk error would; hence mutable.
  mutable std::vector<Mirror> mirrors_;
  mutable std::vector<std::string> problems_;
  std::vector<MirrorOpened> opened_;
  std::uint64_t generation_ = 0;
  mutable std::mutex mutex_;
};

/// The CRD's mirrors for a configuration, in the model's order (C1): the
/// external disks, one internal disk per MU, one per clustered SU x86.
struct CrdMirrorHost {
  enum class Kind { external, mu, su } kind = Kind::external;
  int unit = -1;    ///< the MU or SU it is internal to
  int server = -1;  ///< that unit's server
  std::string name;
};
std::vector<CrdMirrorHost> crd_mirror_hosts(const cluster::Config& config);
/// "external-1", "internal-<MU name>", "internal-<SU x86 name>", ...
std::vector<std::string> crd_mirror_names(const cluster::Config& config);

}  // namespace lmc::ref
