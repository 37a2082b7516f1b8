#pragma once
// The target SU's data plane in a process of its own, behind TCP on loopback:
// what a migration looks like when source and target are different machines,
// and what a crashed target looks like (kill -9).

#include <cstdint>

#include "refimpl/transport/target_runtime.hpp"

namespace lmc::ref {

struct TargetProcess {
  int pid = -1;
  std::uint16_t port = 0;
};

/// Forks a target process: it listens on 127.0.0.1 (an ephemeral port, told
/// to the parent over a pipe), serves one source with a TargetRuntime until
/// a shutdown request or until the source disconnects, then exits (0; 2 after
/// a protocol or checksum error). Call it before the caller starts threads.
/// Throws TransportError when the child cannot listen.
TargetProcess spawn_target_process(int streams, TargetFaults faults = {});
/// Waits for the process to end; its exit status, or 128 + signal. Sets pid to -1.
int wait_target_process(TargetProcess& process);
/// SIGKILL and reap; no-op when pid < 0. Sets pid to -1.
void kill_target_process(TargetProcess& process);

/// The serve loop of a target: accepts the control connection and `streams`
/// data connections on `listen_fd`, applies each data stream on a thread of
/// its own and answers control requests in order, each after every stream
/// reached its sync. Returns 0 when the source shut it down or went away,
/// 2 after a protocol or checksum error, 3 when the source never connected.
int serve_target(int listen_fd, int streams, TargetRuntime& runtime);

}  // namespace lmc::ref
