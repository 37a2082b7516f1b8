#include "refimpl/transfer/precopy_grid.hpp"

#include <stdexcept>

#include "refimpl/core/clock.hpp"
#include "refimpl/transfer/link_model.hpp"
#include "refimpl/transport/in_process_channel.hpp"
#include "refimpl/transport/target_runtime.hpp"

namespace lmc::ref {
namespace {

void migrate(GuestMemory& source, DirtyBitmap& dirty, const GridOptions& o, GridCell& cell) {
  Clock clock = o.real_time ? Clock::real_time() : Clock::virtual_time();
  WorkloadSpec spec{.pattern = o.pattern,
                    .dirty_pages_per_second = cell.dirty_bytes_per_second / kPageSize,
                    .seed = o.seed};
  Workload guest(source, dirty, spec);
  TargetRuntime target;
  InProcessChannel inner(target, o.transfer.streams);
  LinkModel link(clock, cell.link_bits_per_second);
  LinkChannel channel(inner, link);
  const Reply allocated = channel.request({Control::allocate, source.pages(), {}});
  if (!allocated.ok) throw std::runtime_error("grid: target allocation failed: " + allocated.error);
  dirty.clear_all();
  dirty.mark_all();
  const double start = clock.now();
  Precopy precopy(source, dirty, channel, clock, &guest, o.policy, o.transfer);
  PrecopyVerdict verdict = PrecopyVerdict::keep_going;
  while (verdict == PrecopyVerdict::keep_going) {
    precopy.round();
    verdict = precopy.verdict();
  }
  cell.rounds = static_cast<int>(precopy.rounds().size());
  if (verdict == PrecopyVerdict::not_converging) {
    guest.stop();
    cell.outcome = "not_converging";
    cell.total_seconds = clock.now() - start;
    cell.bytes_sent = precopy.bytes_sent();
    return;
  }
  const RoundReport last = precopy.final_copy();
  cell.outcome = "completed";
  cell.total_seconds = clock.now() - start;
  cell.downtime_seconds = last.seconds;
  cell.bytes_sent = precopy.bytes_sent();
  const Reply digest = inner.request({Control::digest, 0, {}});
  cell.verified = digest.ok && digest_from_bytes(digest.data) == source.digest();
}

}  // namespace

std::vector<GridCell> run_precopy_grid(const GridOptions& o,
                                       const std::function<void(const GridCell&)>& on_cell) {
  std::vector<GridCell> cells;
  for (const std::size_t pages : o.memory_pages) {
    // One source per size, filled once: a cell's guest only rewrites lines.
    GuestMemory source(pages);
    DirtyBitmap dirty(pages);
    Workload(source, dirty, {.seed = o.seed}).fill_initial();
    for (const double bps : o.link_bits_per_second) {
      for (const double rate : o.dirty_bytes_per_second) {
        GridCell cell;
        cell.memory_bytes = source.bytes();
        cell.link_bits_per_second = bps;
        cell.dirty_bytes_per_second = rate;
        cell.model = predict_precopy(static_cast<double>(source.bytes()), bps / 8, rate, o.policy);
        migrate(source, dirty, o, cell);
        cells.push_back(cell);
        if (on_cell) on_cell(cells.back());
      }
    }
  }
  return cells;
}

}  // namespace lmc::ref
