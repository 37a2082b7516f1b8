// The Cluster Manager's status display (M3), from its heartbeat view.

#include "model/cluster/cluster_status.hpp"

namespace lmc::cluster {

const char* to_string(Status status) {
  switch (status) {
    case Status::normal:
      return "NORMAL";
    case Status::warning:
      return "WARNING";
    case Status::error:
      return "ERROR";
    case Status::inactive:
      return "INACTIVE";
  }
  return "?";
}

Status management_status(const Topology& t, const State& s) {
  const auto& c = t.config();
  const auto all_mus = static_cast<std::uint8_t>((1u << c.mus.size()) - 1);
  const auto all_links = static_cast<std::uint8_t>((1u << c.isl_links) - 1);
  if (t.server_count() == 2 && c.isl_links > 0 && s.view_isl == 0) return Status::error;
  if (s.view_mu != all_mus || s.view_isl != all_links || s.view_crd_degraded)
    return Status::warning;
  return Status::normal;
}

Status su_cluster_status(const Topology& t, const State& s, int cluster) {
  const auto& c = t.config();
  const auto& k = c.su_clusters[cluster];
  if (!k.active) return Status::inactive;
  if (!(s.view_su >> k.su_a & 1) || !(s.view_su >> k.su_b & 1)) return Status::error;
  const bool two_servers = c.sus[k.su_a].server != c.sus[k.su_b].server;
  const auto all_links = static_cast<std::uint8_t>((1u << c.isl_links) - 1);
  if (s.view_crd_degraded || (two_servers && s.view_isl != all_links)) return Status::warning;
  if (c.sus[k.su_a].arch == Arch::s390) {
    for (int m = 0; m < static_cast<int>(c.mus.size()); ++m) {
      if (!(s.view_mu >> m & 1)) return Status::warning;  // an SU /390 needs its MUs (M1)
    }
  }
  return Status::normal;
}

}  // namespace lmc::cluster
