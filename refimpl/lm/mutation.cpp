#include "refimpl/lm/mutation.hpp"

#include <array>
#include <utility>

namespace lmc::ref {
namespace {

constexpr std::array<std::pair<Mutation, std::string_view>, 8> kNames{{
    {Mutation::none, "none"},
    {Mutation::no_reattach_on_abort, "no_reattach_on_abort"},
    {Mutation::skip_final_copy, "skip_final_copy"},
    {Mutation::resume_before_suspend, "resume_before_suspend"},
    {Mutation::keep_target_reservation, "keep_target_reservation"},
    {Mutation::no_running_lm_check, "no_running_lm_check"},
    {Mutation::hand_out_held_device, "hand_out_held_device"},
    {Mutation::free_memory_ignores_map, "free_memory_ignores_map"},
}};

#ifdef LMC_REFIMPL_MUTATIONS
// One switch for the process: the properties set it around one test.
Mutation g_active = Mutation::none;
#endif

}  // namespace

std::string to_string(Mutation mutation) {
  for (const auto& [m, name] : kNames) {
    if (m == mutation) return std::string(name);
  }
  return "?";
}

std::optional<Mutation> parse_mutation(std::string_view name) {
  for (const auto& [m, n] : kNames) {
    if (n == name) return m;
  }
  return std::nullopt;
}

std::vector<Mutation> all_mutations() {
  std::vector<Mutation> out;
  for (const auto& [m, name] : kNames) {
    if (m != Mutation::none) out.push_back(m);
  }
  return out;
}

#ifdef LMC_REFIMPL_MUTATIONS
Mutation active_mutation() {
  return g_active;
}
void set_active_mutation(Mutation mutation) {
  g_active = mutation;
}
#endif

}  // namespace lmc::ref
