#pragma once
// A rank of `lmc check --distributed` that gets SIGTERM or SIGINT ends at
// once, with exit code 3 (incomplete) and a message saying why: mpirun sends
// SIGTERM to every rank when one of them dies or the run is cancelled, and
// a rank cannot finish the search without the others. The handler uses
// async-signal-safe calls only (the rank may be blocked inside MPI).

#include <string>

namespace lmc::cli {

/// Installs the handler for this process; `rank` and `checkpoint_dir`
/// (empty: none) go into the message, copied now.
void install_rank_stop_handler(int rank, const std::string& checkpoint_dir);

}  // namespace lmc::cli
