#pragma once
// The analytical pre-copy model the benchmark compares with. Memory M, link
// bandwidth B, dirty rate D (each write a new page), lambda = D / B: round i
// sends M lambda^i; after n rounds the rest, M lambda^n, goes in the
// stop-and-copy, so the total is M (1 - lambda^(n+1)) / (1 - lambda) and the
// downtime about M lambda^n / B. n is the first round after which the
// policy's stop rule holds.

#include "refimpl/transfer/precopy.hpp"

namespace lmc::ref {

struct PrecopyPrediction {
  double lambda = 0;
  bool converges = false;  ///< the stop rule holds before the policy's limits
  int rounds = 0;          ///< n: pre-copy rounds before the stop-and-copy
  double total_bytes = 0;
  double total_seconds = 0;
  double downtime_seconds = 0;
};

PrecopyPrediction predict_precopy(double memory_bytes, double bandwidth_bytes_per_second,
                                  double dirty_bytes_per_second, const PrecopyPolicy& policy);

}  // namespace lmc::ref
