// lmc: the Live Migration checker. See README.md and `lmc --help`.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <string>

#include "checker/cli/commands.hpp"
#include "checker/engine/result.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "lmc: explicit-state model checker for Live Migration of BS2000 systems between the "
      "server units of FUJITSU SE server clusters.\n"
      "Exit codes: 0 every property holds, 1 a property is violated, 2 bad usage or input, "
      "3 incomplete (a bound stopped the search)."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "lmc " LMC_VERSION);
  int exit_code = 0;
  lmc::cli::add_check_command(app, exit_code);
  lmc::cli::add_prereq_command(app, exit_code);
  lmc::cli::add_prove_command(app, exit_code);
  lmc::cli::add_plan_command(app, exit_code);
  lmc::cli::add_bench_command(app, exit_code);
  lmc::cli::add_migrate_command(app, exit_code);
  lmc::cli::add_validate_command(app, exit_code);
  lmc::cli::add_replay_command(app, exit_code);
  lmc::cli::add_review_command(app, exit_code);
  // CLI11 takes an unknown first word for a stray argument and asks for a
  // subcommand; name the word and the subcommands instead.
  std::string names;
  bool known = false;
  for (const auto* sub : app.get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known = known || (argc > 1 && sub->get_name() == argv[1]);
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    fmt::print(stderr, "lmc: error: '{}' is not a subcommand (subcommands: {}; see lmc --help)\n",
               argv[1], names);
    return lmc::kExitBadInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return lmc::kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "lmc: error: {}\n", e.what());
    return lmc::kExitBadInput;
  }
  return exit_code;
}
