#pragma once
// Message sequence charts of cluster traces, as WP §4.6 explains LM: one
// lifeline per party (the operator, the Cluster Manager, each SU involved,
// each guest, the CRD mirrors), LM steps as arrows from source to target,
// console lines (VMS..., ETMDR..., HAL...) and events as notes on the
// lifeline of the console that shows them, faults marked, MONJV statuses
// boxed, and the verdict (the violated property or the reached goal) last.
//
// A chart is built from a trace file (lmc check --svg, lmc replay --svg) or
// by hand (lmc migrate --svg, from the reference implementation's consoles)
// and drawn as one SVG.

#include <string>
#include <vector>

#include "model/cluster/config/config.hpp"
#include "model/cluster/traces/trace_file.hpp"

namespace lmc::review {

/// What a lifeline stands for; lanes are drawn in this order.
enum class LaneRole { operator_console, cluster_manager, server_unit, guest, crd };

struct ChartLane {
  LaneRole role = LaneRole::server_unit;
  std::string name;   ///< e.g. "ABGSU701"
  std::string title;  ///< the second header line, e.g. "SU /390"
};

enum class ChartEventKind {
  step,     ///< an action between two lifelines (an arrow), or on one
  note,     ///< a console line or event on one lifeline
  fault,    ///< an injected fault (red cross; across lanes for an ISL-E link)
  status,   ///< a MONJV status
  verdict,  ///< the property at the end
};

struct ChartEvent {
  ChartEventKind kind = ChartEventKind::note;
  int from = 0;  ///< lane index
  int to = 0;    ///< lane index; == from for a note on one lifeline
  std::string label;
  std::string mark;    ///< left margin: the step number, or a time
  bool alarm = false;  ///< drawn in red: an abort, a failure, a violation
};

struct SequenceChart {
  std::string title;
  std::vector<ChartLane> lanes;
  std::vector<ChartEvent> events;

  /// The lane of `role` named `name`, added if missing.
  int lane(LaneRole role, const std::string& name, const std::string& title = {});
  /// Lanes sorted by role (stable within a role), event indexes remapped.
  void order_lanes();
};

/// The chart of a trace of the cluster model with configuration `config`:
/// every step's action and the tagged lines of its text
/// (model/cluster/outputs.cpp writes "[source SU] ...", "[target SU] ...",
/// "[guest VM] ...", "[event WEIGHT] ..." and "MONJV of the request: ...").
SequenceChart chart_of_trace(const cluster::Config& config, const TraceFile& trace);

/// The chart as a self-contained SVG document. `id_prefix` makes its
/// element ids unique when several charts share one HTML page.
std::string svg_of_chart(const SequenceChart& chart, const std::string& id_prefix = "");

}  // namespace lmc::review
