#include "checker/engine/liveness.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/two_bit_color_map.hpp>
#include <boost/pending/queue.hpp>

namespace lmc {
namespace {

using ReverseGraph =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, std::uint64_t, std::uint64_t>;

/// Marks every vertex reached from a source; the BFS itself lives in Boost.
class ReachedRecorder : public boost::default_bfs_visitor {
 public:
  explicit ReachedRecorder(std::vector<bool>& reached) : reached_(&reached) {}
  template <class Vertex, class Graph>
  void discover_vertex(Vertex v, const Graph&) const {
    (*reached_)[v] = true;
  }

 private:
  std::vector<bool>* reached_;
};

}  // namespace

std::optional<std::uint64_t> find_stuck_vertex(const ExploredGraph& graph,
                                               const std::vector<bool>& condition,
                                               const std::vector<bool>& goal) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reversed;
  reversed.reserve(graph.edges.size());
  for (const auto& [from, to] : graph.edges) reversed.emplace_back(to, from);
  const ReverseGraph reverse(boost::edges_are_unsorted_multi_pass, reversed.begin(), reversed.end(),
                             graph.vertices);
  reversed.clear();
  reversed.shrink_to_fit();

  std::vector<std::uint64_t> sources;
  for (std::uint64_t v = 0; v < graph.vertices; ++v) {
    if (goal[v]) sources.push_back(v);
  }
  std::vector<bool> reached(graph.vertices, false);
  if (!sources.empty()) {
    boost::queue<std::uint64_t> queue;
    boost::two_bit_color_map<> colors(graph.vertices);
    boost::breadth_first_search(reverse, sources.begin(), sources.end(), queue,
                                ReachedRecorder(reached), colors);
  }
  for (std::uint64_t v = 0; v < graph.vertices; ++v) {
    if (condition[v] && !reached[v]) return v;
  }
  return std::nullopt;
}

}  // namespace lmc

namespace lmc {
namespace {

StateId id_of_dense(const std::array<std::uint64_t, kShardCount>& offsets, std::uint64_t dense) {
  std::size_t shard = kShardCount - 1;
  while (offsets[shard] > dense) --shard;
  return make_state_id(shard, static_cast<std::uint32_t>(dense - offsets[shard]));
}

}  // namespace

void run_liveness_pass(const std::vector<std::size_t>& indices,
                       const std::array<std::uint64_t, kShardCount>& dense_offsets,
                       std::uint64_t states, LivenessRecord& record,
                       std::vector<std::uint64_t>& found) {
  if (indices.empty()) return;
  auto dense = [&](StateId id) { return dense_offsets[shard_of_id(id)] + local_of_id(id); };
  ExploredGraph graph;
  graph.vertices = states;
  for (auto& shard_edges : record.edges) {
    for (const auto& [from, to] : shard_edges) graph.edges.emplace_back(dense(from), dense(to));
    shard_edges.clear();
    shard_edges.shrink_to_fit();
  }
  for (std::size_t k = 0; k < indices.size(); ++k) {
    std::vector<bool> condition(states, false);
    std::vector<bool> goal(states, false);
    for (std::size_t shard = 0; shard < kShardCount; ++shard) {
      const auto& labels = record.labels[shard];
      for (std::size_t local = 0; local < labels.size(); ++local) {
        condition[dense_offsets[shard] + local] = (labels[local] >> (2 * k)) & 1;
        goal[dense_offsets[shard] + local] = (labels[local] >> (2 * k + 1)) & 1;
      }
    }
    if (const auto stuck = find_stuck_vertex(graph, condition, goal)) {
      found[indices[k]] = id_of_dense(dense_offsets, *stuck);
    }
  }
}

}  // namespace lmc
