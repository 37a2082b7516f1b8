// Reading, checking and embedding cluster configurations (model/cluster/config.hpp,
// spec/cluster/presets.md).

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/cluster/config/config.hpp"

using namespace lmc::cluster;
using Json = nlohmann::json;

namespace {

Json preset_document(const std::string& name) {
  const auto text = preset_json(name);
  REQUIRE(text.has_value());
  return Json::parse(*text);
}

Config load_preset(const std::string& name) {
  ConfigError error;
  const auto config = parse_config(*preset_json(name), "preset " + name, error);
  INFO(error.to_string());
  REQUIRE(config.has_value());
  return *config;
}

/// The error a configuration must produce; fails the test if it is accepted.
ConfigError error_of(const std::string& text) {
  ConfigError error;
  const auto config = parse_config(text, "bad.json", error);
  REQUIRE_FALSE(config.has_value());
  CHECK(error.file == "bad.json");
  return error;
}

/// A smallest valid configuration: everything optional left out.
const char* const kMinimal = R"({
  "name": "minimal",
  "servers": ["S1"],
  "mus": [{"name": "m1", "server": "S1"}],
  "sus": [{"name": "U1", "server": "S1", "arch": "x86", "memory": 4, "max_vm_definitions": 1,
           "max_vm_index": 1}],
  "vms": [{"name": "V1", "su": "U1", "memory": 1}]
})";

Json extra_su(const std::string& name, const std::string& server) {
  Json su = preset_document("default")["sus"][1];
  su["name"] = name;
  su["server"] = server;
  return su;
}

Json second_vm(const std::string& name, int index) {
  Json vm = preset_document("default")["vms"][0];
  vm["name"] = name;
  vm["index"] = index;
  vm["devices"] = Json::array();
  return vm;
}

struct BadCase {
  std::string what;
  std::string preset;
  std::function<void(Json&)> mutate;
  std::string field;
  std::string fragment;
};

std::vector<BadCase> bad_cases() {
  return {
      {"SU in two SU clusters (U3)", "default",
       [](Json& c) {
         c["sus"].push_back(extra_su("ABGSU703", "ABGSE702"));
         c["su_clusters"].push_back({{"name", "SUC2"}, {"sus", {"ABGSU701", "ABGSU703"}}});
       },
       "su_clusters[1].sus[0]", "SU \"ABGSU701\" already belongs to SU cluster \"SUC1\" (U3)"},
      {"unknown SU", "default", [](Json& c) { c["vms"][0]["su"] = "X"; }, "vms[0].su",
       "unknown SU \"X\""},
      {"unknown SU in a cluster", "default",
       [](Json& c) { c["su_clusters"][0]["sus"][1] = "ABGSU799"; }, "su_clusters[0].sus[1]",
       "unknown SU \"ABGSU799\""},
      {"unknown server", "default", [](Json& c) { c["mus"][2]["server"] = "ABGSE703"; },
       "mus[2].server", "unknown SE server \"ABGSE703\""},
      {"SU /390 cluster inside one server (U2)", "default",
       [](Json& c) { c["sus"][1]["server"] = "ABGSE701"; }, "su_clusters[0].sus",
       "SU /390 clusters always span two servers"},
      {"mixed-architecture cluster (U1)", "default", [](Json& c) { c["sus"][1]["arch"] = "x86"; },
       "su_clusters[0].sus", "SU \"ABGSU702\" is SU x86"},
      {"SU cluster of one SU", "default",
       [](Json& c) { c["su_clusters"][0]["sus"] = {"ABGSU701"}; }, "su_clusters[0].sus",
       "exactly two SUs (U1), got 1"},
      {"SU cluster of one SU named twice", "default",
       [](Json& c) {
         c["su_clusters"][0]["sus"] = {"ABGSU701", "ABGSU701"};
       },
       "su_clusters[0].sus", "two different SUs (U1)"},
      {"SU cluster without external disks (C2)", "x86-local",
       [](Json& c) { c["external_disks"] = 0; }, "external_disks",
       "SU cluster \"orngbrwn\" needs at least one external configuration disk (C2)"},
      {"management cluster without external disks (C2)", "default",
       [](Json& c) { c["external_disks"] = 0; }, "external_disks",
       "management cluster needs at least one external configuration disk (C2)"},
      {"cross-server cluster without ISL-E (U2, H2)", "default",
       [](Json& c) { c["isl_links"] = 0; }, "su_clusters[0].sus", "isl_links >= 1"},
      {"ISL-E with one server (H2)", "x86-local", [](Json& c) { c["isl_links"] = 1; }, "isl_links",
       "with one server it must be 0"},
      {"unknown key: a typo", "default",
       [](Json& c) {
         c["sus"][0]["memroy"] = c["sus"][0]["memory"];
         c["sus"][0].erase("memory");
       },
       "sus[0].memroy", "unknown field; did you mean \"memory\"?"},
      {"unknown key: nothing like it", "default", [](Json& c) { c["scope"]["colour"] = 1; },
       "scope.colour", "unknown field; known fields: pages_per_vm, guest_writes"},
      {"wrong type", "default", [](Json& c) { c["sus"][0]["memory"] = "8"; }, "sus[0].memory",
       "expected an integer, got \"8\""},
      {"wrong type: a fraction", "default", [](Json& c) { c["scope"]["fault_budget"] = 1.5; },
       "scope.fault_budget", "expected an integer, got 1.5"},
      {"wrong type: list of names", "default", [](Json& c) { c["servers"] = "ABGSE701"; },
       "servers", "expected an array of strings"},
      {"bad enum value", "default", [](Json& c) { c["sus"][1]["arch"] = "arm"; }, "sus[1].arch",
       "expected \"s390\" or \"x86\", got \"arm\""},
      {"bad device kind", "default", [](Json& c) { c["vms"][0]["devices"][2]["kind"] = "cdrom"; },
       "vms[0].devices[2].kind",
       "expected \"disk\", \"tape\", \"emulated_local_disk\" or \"pav_alias\", got \"cdrom\""},
      {"bad fault kind", "default", [](Json& c) { c["scope"]["faults"][1] = "meteor"; },
       "scope.faults[1]", "got \"meteor\""},
      {"bad REWAS version", "default", [](Json& c) { c["sus"][0]["rewas_version"] = "2.0"; },
       "sus[0].rewas_version", "expected a version like \"V2.0\""},
      {"duplicate MU name", "default", [](Json& c) { c["mus"][1]["name"] = "abgwhite"; },
       "mus[1].name", "duplicate name \"abgwhite\""},
      {"MU and SU with one name", "default", [](Json& c) { c["mus"][2]["name"] = "ABGSU701"; },
       "sus[0].name", "duplicate name \"ABGSU701\" (also mus[2].name)"},
      {"duplicate VM name", "default",
       [](Json& c) { c["vms"].push_back(second_vm("VM12PROD", 3)); }, "vms[1].name",
       "duplicate name \"VM12PROD\""},
      {"a device held outside the configuration used shared (P11)", "default",
       [](Json& c) { c["sus"][0]["exclusively_used"] = Json::array({"5F01"}); },
       "vms[0].devices[2].id", "exclusively used by another VM on SU \"ABGSU701\""},
      {"fixed VM index out of range (P7)", "default", [](Json& c) { c["vms"][0]["index"] = 5; },
       "vms[0].index", "VM index 5 outside 1..4"},
      {"VM index 0", "default", [](Json& c) { c["vms"][0]["index"] = 0; }, "vms[0].index",
       "expected \"*ANY\" or a VM index >= 1, got 0"},
      {"fixed VM index twice on one SU (P7)", "default",
       [](Json& c) { c["vms"].push_back(second_vm("VM13TEST", 2)); }, "vms[1].index",
       "VM index 2 already used by VM \"VM12PROD\""},
      {"memory overcommitted", "default", [](Json& c) { c["vms"][0]["memory"] = 9; },
       "vms[0].memory", "need 9 units, it has 8"},
      {"native mode on SU /390 (P4)", "default", [](Json& c) { c["sus"][0]["mode"] = "native"; },
       "sus[0].mode", "an SU /390 runs only VM2000"},
      {"two systems on a native SU (P14)", "x86-native",
       [](Json& c) {
         Json vm = c["vms"][0];
         vm["name"] = "BS2TEST";
         c["sus"][0]["max_vm_definitions"] = 2;
         vm["devices"] = Json::array();
         c["vms"].push_back(vm);
       },
       "vms[1].su", "runs native BS2000 and holds only one system"},
      {"too many VMs", "default",
       [](Json& c) {
         c["vms"].push_back(second_vm("VM3", 1));
         c["vms"].push_back(second_vm("VM4", 3));
         c["vms"].push_back(second_vm("VM5", 4));
       },
       "vms", "the model supports at most 3 VMs, got 4"},
      {"no VM", "default", [](Json& c) { c["vms"] = Json::array(); }, "vms",
       "at least one VM required"},
      {"too many SUs", "default",
       [](Json& c) {
         for (const char* name : {"SU3", "SU4", "SU5"})
           c["sus"].push_back(extra_su(name, "ABGSE702"));
       },
       "sus", "the model supports at most 4 SUs, got 5"},
      {"too many devices", "default",
       [](Json& c) {
         c["vms"][0]["devices"] = Json::array();
         for (const char* id : {"D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"}) {
           c["vms"][0]["devices"].push_back({{"id", id}, {"kind", "disk"}});
         }
       },
       "vms[0].devices", "the model supports at most 8 devices per VM, got 9"},
      {"three servers (H1)", "default", [](Json& c) { c["servers"].push_back("ABGSE703"); },
       "servers", "one or two SE servers (H1), got 3"},
      {"five MUs", "default",
       [](Json& c) {
         c["mus"].push_back({{"name", "abgpink"}, {"server", "ABGSE702"}});
       },
       "mus", "the model supports at most 4 MUs, got 5"},
      {"third MU in a server (H1)", "default",
       [](Json& c) {
         c["mus"][2]["server"] = "ABGSE701";
         c["mus"][3]["server"] = "ABGSE701";
       },
       "mus[2].server", "SE server \"ABGSE701\" already has two MUs (H1)"},
      {"server without MU at all (H1)", "default",
       [](Json& c) { c["mus"] = Json::array({c["mus"][0]}); }, "servers[1]",
       "SE server \"ABGSE702\" has no MU (H1)"},
      {"scope out of range", "default", [](Json& c) { c["scope"]["pages_per_vm"] = 6; },
       "scope.pages_per_vm", "expected 1..4, got 6"},
      {"scope.migrate names no VM", "default", [](Json& c) { c["scope"]["migrate"] = {"VM99"}; },
       "scope.migrate[0]", "unknown VM \"VM99\""},
      {"missing required field", "default", [](Json& c) { c["vms"][0].erase("memory"); },
       "vms[0].memory", "missing required field"},
      {"device not generated on the VM's SU (P10)", "default",
       [](Json& c) { c["vms"][0]["devices"][0]["id"] = "9999"; }, "vms[0].devices[0].id",
       "device \"9999\" is not generated on SU \"ABGSU701\""},
      {"exclusive device of two VMs on one SU (I6)", "default",
       [](Json& c) {
         Json vm = second_vm("VM13TEST", 3);
         vm["devices"].push_back({{"id", "4683"}, {"kind", "disk"}, {"usage", "shared"}});
         c["vms"].push_back(vm);
       },
       "vms[1].devices[0].id", "already assigned to VM \"VM12PROD\""},
      {"PAV alias on SU x86", "x86-local",
       [](Json& c) { c["vms"][0]["devices"][0]["kind"] = "pav_alias"; }, "vms[0].devices[0].kind",
       "PAV alias devices exist only on SU /390"},
      {"CPU pool missing on the VM's SU (P12)", "default",
       [](Json& c) { c["vms"][0]["cpu_pool"] = "POOL9"; }, "vms[0].cpu_pool",
       "CPU pool \"POOL9\" does not exist on SU \"ABGSU701\""},
      {"too many VM definitions (P8)", "default",
       [](Json& c) { c["sus"][0]["max_vm_definitions"] = 0; }, "vms[0].su",
       "already holds max_vm_definitions = 0"},
      {"SU memory beyond the model", "default", [](Json& c) { c["sus"][0]["memory"] = 16; },
       "sus[0].memory", "the model supports at most 15 units"},
      {"document is no object", "default", [](Json& c) { c = Json::array(); }, "(document)",
       "expected an object, got an array"},
  };
}

}  // namespace

TEST_CASE("Every preset parses and validates", "[config]") {
  const auto names = preset_names();
  REQUIRE(names.size() == 8);
  CHECK(names.front() == "default");
  for (const auto& expected : {"default", "x86-local", "x86-native", "recovery",
                               "recover-while-alive", "p9-gap", "two-vms", "toctou"}) {
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
  for (const auto& name : names) {
    INFO("preset " << name);
    const Config config = load_preset(name);
    CHECK(config.name == name);  // the file name is the preset name
  }
  CHECK_FALSE(preset_json("no-such-preset").has_value());
}

TEST_CASE("The default preset holds what presets.md documents", "[config]") {
  const Config config = load_preset("default");
  CHECK(config.servers == std::vector<std::string>{"ABGSE701", "ABGSE702"});
  REQUIRE(config.mus.size() == 4);
  CHECK(config.mus[0].server == 0);
  CHECK(config.mus[3].server == 1);
  CHECK(config.isl_links == 2);
  CHECK(config.external_disks == 2);
  REQUIRE(config.sus.size() == 2);
  for (std::size_t s = 0; s < 2; ++s) {
    const Su& su = config.sus[s];
    CHECK(su.server == static_cast<int>(s));
    CHECK(su.arch == Arch::s390);
    CHECK(su.mode == Mode::vm2000);
    CHECK(su.memory == 8);
    CHECK(su.max_vm_definitions == 4);
    CHECK(su.max_vm_index == 4);
    CHECK(su.rewas_version == 20);
    CHECK(su.devices == std::vector<std::string>{"4683", "0C10", "5F01", "4684"});
    CHECK(su.network_segments == std::vector<std::string>{"LAN1"});
    CHECK(su.cpu_pools == std::vector<std::string>{"POOL1"});
    CHECK_FALSE(su.config_update_running);
    CHECK_FALSE(su.shutdown_initiated);
  }
  REQUIRE(config.su_clusters.size() == 1);
  CHECK(config.su_clusters[0].name == "SUC1");
  CHECK(config.su_clusters[0].active);
  REQUIRE(config.vms.size() == 1);
  const Vm& vm = config.vms[0];
  CHECK(vm.name == "VM12PROD");
  CHECK(vm.su == 0);
  CHECK(vm.index == 2);
  CHECK(vm.memory == 2);
  CHECK(vm.state == VmState::running);
  CHECK_FALSE(vm.monitor_system);
  REQUIRE(vm.devices.size() == 3);
  CHECK(vm.devices[0].id == "4683");
  CHECK(vm.devices[0].kind == DeviceKind::disk);
  CHECK(vm.devices[0].usage == Usage::exclusive);
  CHECK(vm.devices[1].kind == DeviceKind::tape);
  CHECK(vm.devices[2].kind == DeviceKind::pav_alias);
  CHECK(vm.devices[2].usage == Usage::shared);
  CHECK(vm.cpu_pool == "POOL1");
  CHECK(vm.network_segments == std::vector<std::string>{"LAN1"});
  const Scope& scope = config.scope;
  CHECK(scope.pages_per_vm == 2);
  CHECK(scope.guest_writes == 2);
  CHECK(scope.max_copy_rounds == 2);
  CHECK(scope.fault_budget == 2);
  CHECK(scope.faults == std::array<bool, kFaultKinds>{true, true, true, true, true, true});
  CHECK(scope.lm_requests == 1);
  CHECK(scope.migrate == std::vector<std::string>{"VM12PROD"});
  CHECK_FALSE(scope.definition_commands);
  CHECK(scope.operator_verifies_remote_down);
}

TEST_CASE("The other presets differ from default as intended", "[config]") {
  const Config local = load_preset("x86-local");
  CHECK(local.servers.size() == 1);
  CHECK(local.isl_links == 0);
  CHECK(local.sus[0].arch == Arch::x86);
  CHECK(local.sus[0].server == local.sus[1].server);
  CHECK_FALSE(local.scope.faults[static_cast<std::size_t>(FaultKind::isl_down)]);

  const Config native = load_preset("x86-native");
  CHECK(native.sus[0].mode == Mode::native);
  CHECK(native.sus[1].mode == Mode::native);
  CHECK(native.sus[0].rewas_version == 0);
  CHECK(native.vms.size() == 1);

  const Config recovery = load_preset("recovery");
  CHECK(recovery.scope.definition_commands);
  CHECK(recovery.scope.lm_requests == 0);
  CHECK(recovery.scope.fault_budget == 1);
  CHECK(recovery.scope.faults ==
        std::array<bool, kFaultKinds>{false, true, false, false, false, false});

  const Config alive = load_preset("recover-while-alive");
  CHECK_FALSE(alive.scope.operator_verifies_remote_down);
  CHECK(alive.scope.faults ==
        std::array<bool, kFaultKinds>{true, false, false, false, false, false});

  const Config gap = load_preset("p9-gap");
  CHECK(gap.sus[1].network_segments == std::vector<std::string>{"LAN2"});
  CHECK(gap.scope.fault_budget == 0);
}

TEST_CASE("Omitted optional fields take the defaults of config.hpp", "[config]") {
  ConfigError error;
  const auto config = parse_config(kMinimal, "minimal.json", error);
  INFO(error.to_string());
  REQUIRE(config.has_value());
  CHECK(config->isl_links == 0);
  CHECK(config->external_disks == 0);
  CHECK(config->su_clusters.empty());
  CHECK(config->sus[0].mode == Mode::vm2000);
  CHECK(config->sus[0].rewas_version == 20);
  CHECK(config->sus[0].devices.empty());
  CHECK(config->vms[0].index == 0);  // *ANY
  CHECK(config->vms[0].state == VmState::running);
  CHECK(config->vms[0].cpu_pool.empty());
  const Scope defaults;
  CHECK(config->scope.pages_per_vm == defaults.pages_per_vm);
  CHECK(config->scope.faults == defaults.faults);
  CHECK(config->scope.operator_verifies_remote_down);

  Json with_cluster = Json::parse(*preset_json("x86-local"));
  with_cluster["su_clusters"][0].erase("active");
  const auto local = parse_config(with_cluster.dump(), "local.json", error);
  REQUIRE(local.has_value());
  CHECK(local->su_clusters[0].active);
}

TEST_CASE("A configuration knows each SU's cluster partner", "[config]") {
  Config config = load_preset("default");
  CHECK(config.cluster_of(0) == 0);
  CHECK(config.partner_of(0) == 1);
  CHECK(config.partner_of(1) == 0);
  CHECK(config.vm_index_by_name("VM12PROD") == 0);
  CHECK(config.vm_index_by_name("VM99") == -1);
  config.su_clusters.clear();
  CHECK_FALSE(config.cluster_of(0).has_value());
  CHECK_FALSE(config.partner_of(1).has_value());
}

TEST_CASE("A configuration error reads FILE: FIELD: MESSAGE", "[config]") {
  CHECK(ConfigError{"my.json", "sus[1].arch", "bad"}.to_string() == "my.json: sus[1].arch: bad");
}

TEST_CASE("Bad configurations name the field and the problem", "[config]") {
  const auto cases = bad_cases();
  CHECK(cases.size() >= 15);
  for (const BadCase& bad : cases) {
    DYNAMIC_SECTION(bad.what) {
      Json document = preset_document(bad.preset);
      bad.mutate(document);
      const ConfigError error = error_of(document.dump());
      INFO(error.to_string());
      CHECK(error.field == bad.field);
      CHECK_THAT(error.message, Catch::Contains(bad.fragment));
    }
  }
}

TEST_CASE("Malformed JSON is reported with line and column", "[config]") {
  const ConfigError missing_colon = error_of("{\n  \"name\": \"x\",\n  \"servers\" [\"S1\"]\n}");
  CHECK(missing_colon.field == "line 3, column 13");
  CHECK_THAT(missing_colon.message, Catch::StartsWith("invalid JSON: syntax error"));
  CHECK_THAT(missing_colon.to_string(),
             Catch::StartsWith("bad.json: line 3, column 13: invalid JSON"));

  const ConfigError empty = error_of("");
  CHECK(empty.field == "line 1, column 1");
  CHECK_THAT(empty.message, Catch::Contains("unexpected end of input"));
}

TEST_CASE("A key given twice is reported, not silently replaced", "[config]") {
  std::string text = *preset_json("default");
  const std::string first = "\"memory\": 8,";
  text.insert(text.find(first), "\"memory\": 16,\n      ");
  const ConfigError error = error_of(text);
  CHECK(error.field == "sus[0].memory");
  CHECK(error.message == "duplicate key");

  const ConfigError nested = error_of(
      R"({"vms": [{"name": "a"}, {"devices": [{"id": "1"}, {"id": "2", "kind": "disk", "id": "3"}]}]})");
  CHECK(nested.field == "vms[1].devices[1].id");
}

TEST_CASE("One VM name may be defined once on each SU of a cluster (D1)", "[config]") {
  Json document = preset_document("default");
  Json twin = second_vm("VM12PROD", 3);
  twin["su"] = "ABGSU702";
  document["vms"].push_back(twin);
  ConfigError error;
  const auto config = parse_config(document.dump(), "twins.json", error);
  INFO(error.to_string());
  REQUIRE(config.has_value());
  CHECK(config->vms_named("VM12PROD") == 2);
  CHECK(config->find_vm("VM12PROD", 1) == 1);
  CHECK(config->find_vm("VM12PROD", 0) == 0);
  document["vms"].push_back(second_vm("VM12PROD", 4));  // a second one on ABGSU701
  CHECK_FALSE(parse_config(document.dump(), "twins.json", error).has_value());
  CHECK(error.field == "vms[2].name");
}

TEST_CASE("A configuration written back to JSON reads as the same configuration", "[config]") {
  for (const auto& name : preset_names()) {
    INFO(name);
    const Config config = load_preset(name);
    const auto text = config_to_json(config);
    ConfigError error;
    const auto again = parse_config(text, name, error);
    INFO(error.to_string());
    REQUIRE(again.has_value());
    CHECK(config_to_json(*again) == text);
    CHECK(again->vms.size() == config.vms.size());
    CHECK(again->sus[0].memory_map.size() == config.sus[0].memory_map.size());
  }
}

TEST_CASE("validate_config checks configurations built in code", "[config]") {
  Config config = load_preset("default");
  ConfigError error;
  CHECK(validate_config(config, "code", error));

  config.vms[0].su = 7;
  CHECK_FALSE(validate_config(config, "code", error));
  CHECK(error.field == "vms[0].su");
  CHECK_THAT(error.message, Catch::Contains("out of range"));

  config = load_preset("default");
  config.su_clusters[0].su_b = 0;
  CHECK_FALSE(validate_config(config, "code", error));
  CHECK(error.to_string() == "code: su_clusters[0].sus: an SU cluster has two different SUs (U1)");
}
