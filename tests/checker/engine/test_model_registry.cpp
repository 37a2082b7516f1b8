#include <catch2/catch.hpp>

#include "checker/cli/builtin_models.hpp"
#include "checker/engine/model_registry.hpp"

using namespace lmc;

TEST_CASE("The registry lists the three classic models", "[checker][registry]") {
  for (const char* name : {"peterson", "philosophers", "two_phase_commit"}) {
    INFO(name);
    CHECK(find_model(builtin_models(), name) != nullptr);
  }
  CHECK(find_model(builtin_models(), "no-such-model") == nullptr);
}

TEST_CASE("Parameters default, parse and reject bad values by name", "[checker][registry]") {
  const auto& model = *find_model(builtin_models(), "philosophers");
  std::string error;
  auto values = parse_parameters(model, {}, error);
  REQUIRE(values.has_value());
  CHECK(values->at("n") == 5);
  values = parse_parameters(model, {"n=7"}, error);
  CHECK(values->at("n") == 7);

  CHECK_FALSE(parse_parameters(model, {"n=99"}, error).has_value());
  CHECK_THAT(error, Catch::Contains("n=N with N an integer from 2 to 16"));
  CHECK_FALSE(parse_parameters(model, {"n=abc"}, error).has_value());
  CHECK_THAT(error, Catch::Contains("--param n=abc"));
  CHECK_FALSE(parse_parameters(model, {"forks=3"}, error).has_value());
  CHECK_THAT(error, Catch::Contains("has no parameter 'forks'"));
  CHECK_FALSE(parse_parameters(model, {"n"}, error).has_value());
}

TEST_CASE("Each model lists its properties and deadlock", "[checker][registry]") {
  const auto& model = *find_model(builtin_models(), "two_phase_commit");
  std::string error;
  const auto props = model.properties(*parse_parameters(model, {}, error));
  REQUIRE(props.size() == 4);
  CHECK(props[0].name == "managers_agree");
  CHECK(props[0].kind == "always");
  CHECK(props[2].kind == "liveness");
  CHECK(props[3].name == "deadlock");
}
