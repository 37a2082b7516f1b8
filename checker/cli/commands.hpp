#pragma once
// The subcommands of `lmc`. Each adds itself to the CLI11 app and returns the
// exit code through `exit_code` once it has run.

#include <CLI/CLI.hpp>

namespace lmc::cli {

/// Registers `lmc check`; the callback stores the command's exit code.
void add_check_command(CLI::App& app, int& exit_code);
/// Registers `lmc prereq`: the /CHECK-VM-MIGRATION of one LM request.
void add_prereq_command(CLI::App& app, int& exit_code);
/// Registers `lmc prove`: rule-level theorems discharged by Z3.
void add_prove_command(CLI::App& app, int& exit_code);
/// Registers `lmc plan`: an evacuation order found by Z3, or what blocks it.
void add_plan_command(CLI::App& app, int& exit_code);
/// Registers `lmc bench`: benchmarks of the reference implementation's data plane.
void add_bench_command(CLI::App& app, int& exit_code);
/// Registers `lmc migrate`: one LM on the reference implementation.
void add_migrate_command(CLI::App& app, int& exit_code);
/// Registers `lmc validate`: is a recorded run (or any trace file) a path of the model?
void add_validate_command(CLI::App& app, int& exit_code);
/// Registers `lmc replay`: a model trace replayed on the reference implementation.
void add_replay_command(CLI::App& app, int& exit_code);
/// Registers `lmc review`: the design-review document (HTML) of a configuration.
void add_review_command(CLI::App& app, int& exit_code);
/// Registers `lmc bench check` under `lmc bench`: lmc against SPIN.
void add_bench_check_command(CLI::App& bench, int& exit_code);

}  // namespace lmc::cli
