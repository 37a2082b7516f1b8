#pragma once
// SIGINT and SIGTERM while a long command runs (`lmc migrate`). The first
// signal only records its number: the command reads it and ends cleanly (an
// LM aborts and rolls back, the reports are written, temporary files go).
// A second signal ends the process at once (but the same signal again from the
// same sender's kill() within a second is the first one's echo, as GNU timeout
// sends it twice): it kills the registered child
// process, removes the registered files and directory, and exits with
// 128 + the signal, all from the handler with async-signal-safe calls only.

#include <sys/types.h>

#include <atomic>
#include <filesystem>

namespace lmc::cli {

class InterruptScope {
 public:
  /// Installs the handlers; the destructor puts the previous ones back.
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  /// 0, or the number of the first signal that arrived.
  const std::atomic<int>& signal() const;
  /// The child to SIGKILL on a second signal (-1: none).
  void set_child(pid_t pid);
  /// A file to unlink on a second signal (at most 64; the path is copied).
  void remove_on_exit(const std::filesystem::path& file);
  /// An (emptied) directory to remove on a second signal, after the files.
  void remove_directory_on_exit(const std::filesystem::path& directory);
};

}  // namespace lmc::cli
