#pragma once
// How large a configuration the explicit-state model can represent: its
// state has fixed-size arrays of these sizes (model/cluster/state.hpp), and
// validation rejects larger configurations (config.hpp, `limits`).

namespace lmc::cluster {

inline constexpr int kMaxMus = 4;
inline constexpr int kMaxSus = 4;
inline constexpr int kMaxVms = 3;
inline constexpr int kMaxPages = 4;
inline constexpr int kMaxDevices = 8;
inline constexpr int kMaxExternalDisks = 2;
/// External disks, one internal disk per MU, one per clustered SU x86 (C1).
inline constexpr int kMaxMirrors = kMaxExternalDisks + kMaxMus + kMaxSus;

}  // namespace lmc::cluster
