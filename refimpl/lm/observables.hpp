#pragma once
// What the operator sees of an LM (WP §4.2-§4.6, JV, shared/domain.md O1-O5,
// M5): the console messages of the source and target monitor systems and of
// the guest, in one chronological log; the request's MONJV statuses; the
// guest's 256-byte MONJV; the audit log; LIVE-MIG-COUNT and the history.

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace lmc::ref {

enum class Console { source, target, guest };
std::string to_string(Console console);

struct ConsoleLine {
  double time = 0;
  Console console = Console::source;
  std::string unit;  ///< the SU of the monitor system, or the guest's name
  std::string text;  ///< the message, e.g. "VMS2450 LIVE MIGRATION OF VM (2,VM12PROD) ..."
  /// The message ID: the text's first word.
  std::string id() const;
};

class ConsoleLog {
 public:
  void add(double time, Console console, std::string unit, std::string text);
  const std::vector<ConsoleLine>& lines() const { return lines_; }
  /// The message IDs in order, e.g. {"VMS2450", "ETMDR01", ...}.
  std::vector<std::string> ids() const;

 private:
  std::vector<ConsoleLine> lines_;
};

/// M5: who did what, where, when, with what result.
struct AuditEntry {
  double time = 0;
  std::string user;
  std::string unit;
  std::string action;  ///< e.g. "MIGRATE-VM VM-ID=(2,VM12PROD),SERVER-UNIT-NAME=ABGSU702"
  std::string result;  ///< "Start", "OK" or "failure: <why>"
};

/// The system part of a VM's MONJV (JV: bytes 1-128) and the user part
/// (129-256), which VM2000 leaves alone.
class GuestMonJv {
 public:
  static constexpr std::size_t kSize = 256;
  /// Opens the record of a VM: status "$R", type V, run number, start time.
  GuestMonJv(std::string catid, int run_number, std::string start_utc, std::string vm_name,
             int vm_index);
  void set_status(std::string_view status);          ///< bytes 1-3, e.g. "$R", "$T"
  void set_guest_state(std::string_view state);      ///< bytes 82-86, e.g. "RUN"
  void set_migration_state(std::string_view state);  ///< bytes 87-94, "MIGR-OUT" or blank
  /// Bytes `first`..`last` (1-based, inclusive, as the JV table counts),
  /// trailing blanks kept.
  std::string field(int first, int last) const;
  const std::array<char, kSize>& bytes() const { return bytes_; }
  /// Writes the 256 bytes to `path`, keeping bytes 129-256 of an existing file.
  bool write(const std::filesystem::path& path, std::string& error) const;

 private:
  void put(int first, int last, std::string_view text);
  std::array<char, kSize> bytes_{};
};

/// O5: /SHOW-LIVE-MIGRATION-HISTORY.
struct HistoryEntry {
  double time = 0;
  std::string configuration;  ///< the SU the VM came to
  int vm_index = 0;
};

}  // namespace lmc::ref
