#pragma once
// What `lmc migrate` prints and writes: the rounds as they happen, then the
// phases reached, the chronological console log, events, audit log, MONJVs,
// and the statistics; the same as JSON with --json.

#include <cstddef>
#include <optional>
#include <string>

#include "refimpl/lm/live_migration.hpp"
#include "refimpl/lm/source_check.hpp"

namespace lmc::cli {

struct MigrateRun {
  ref::Installation& installation;
  int vm;
  int target;
  ref::Guest& guest;
  std::string transport;
  std::size_t pages;
  ref::MigrationResult result{};
  bool memory_compared = false;  ///< in-process: target and source compared byte for byte
  bool memory_identical = false;
  int source_su = 0;                               ///< the VM's SU before the LM
  std::optional<ref::SourceCheck> source_check{};  ///< after an abort ($AE)
};

void print_header(const MigrateRun& run);
void print_round(const ref::RoundReport& round);
void print_report(const MigrateRun& run);
std::string report_json(const MigrateRun& run);

}  // namespace lmc::cli
