// `lmc prove`: rule-level theorems about the LM prerequisites, by Z3.

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "checker/cli/commands.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/prereq/prover.hpp"

namespace lmc::cli {
namespace {

struct ProveArgs {
  std::vector<std::string> drop;
  std::string json_file;
};

int run_prove(const ProveArgs& args) {
  const auto known = smt::theorem_rules();
  for (const auto& rule : args.drop) {
    if (std::find(known.begin(), known.end(), rule) == known.end()) {
      fmt::print(stderr, "lmc prove: error: --drop {}: not a hypothesis of any theorem ({})\n",
                 rule, fmt::format("{}", fmt::join(known, ", ")));
      return kExitBadInput;
    }
  }
  const auto results = smt::prove_theorems({args.drop.begin(), args.drop.end()});
  bool all = true;
  nlohmann::json json = nlohmann::json::array();
  for (const auto& t : results) {
    all &= t.proved;
    fmt::print("theorem {}: {} ({:.1f} ms)\n  {}\n  bounds: {}\n", t.name,
               t.proved ? "proved" : "COUNTEREXAMPLE", t.milliseconds, t.statement, t.bounds);
    if (!args.drop.empty()) fmt::print("  dropped: {}\n", fmt::join(args.drop, ", "));
    nlohmann::json cx = nlohmann::json::object();
    for (const auto& [name, value] : t.counterexample) {
      fmt::print("    {} = {}\n", name, value);
      cx[name] = value;
    }
    json.push_back({{"name", t.name},
                    {"proved", t.proved},
                    {"statement", t.statement},
                    {"bounds", t.bounds},
                    {"milliseconds", t.milliseconds},
                    {"counterexample", cx}});
  }
  if (!args.json_file.empty()) {
    if (!write_output_file(args.json_file, versioned_json("lmc-prove", 1, json), "prove",
                           "--json")) {
      return kExitBadInput;
    }
  }
  return all ? 0 : 1;
}

}  // namespace

void add_prove_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ProveArgs>();
  auto* cmd = app.add_subcommand(
      "prove",
      "Prove rule-level theorems about the LM prerequisites with Z3, over every configuration "
      "within the stated bounds; print 'proved' or a counterexample configuration.\n"
      "Exit codes: 0 all proved, 1 a counterexample, 2 bad usage.");
  cmd->add_option("--drop", args->drop,
                  "Leave a rule out of the hypotheses (repeatable), e.g. --drop P5, to see that "
                  "the theorem needs it");
  cmd->add_option("--json", args->json_file, "Write the theorems and counterexamples as JSON")
      ->check(detail::writable_file());
  cmd->callback([args, &exit_code] { exit_code = run_prove(*args); });
}

}  // namespace lmc::cli
