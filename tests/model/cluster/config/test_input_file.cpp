#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/cluster/config/input_file.hpp"

using namespace lmc;

TEST_CASE("Input files: regular files only, up to a limit, with the reason",
          "[config][input_file]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("lmc-input-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "c.json";
  std::ofstream(file) << "{\"a\": 1}";
  std::string error;
  CHECK(read_input_file(file.string(), "configuration file", error) == "{\"a\": 1}");
  CHECK_FALSE(read_input_file(file.string(), "configuration file", error, 4));
  CHECK_THAT(error, Catch::Contains("larger than"));
  CHECK_FALSE(read_input_file(dir.string(), "configuration file", error));
  CHECK_THAT(error, Catch::Contains("is a directory, not a regular file"));
  const auto fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_FALSE(read_input_file(fifo.string(), "trace file", error));  // and does not block
  CHECK_THAT(error, Catch::Contains("the trace file is a FIFO"));
  CHECK_FALSE(read_input_file("/dev/zero", "trace file", error));
  CHECK_THAT(error, Catch::Contains("character device"));
  CHECK_FALSE(read_input_file((dir / "none").string(), "trace file", error));
  CHECK_THAT(error, Catch::Contains("cannot open the trace file: No such file or directory"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("JSON nesting is bounded, brackets in strings do not count", "[config][input_file]") {
  CHECK(json_nesting_problem("{\"a\": [1, {\"b\": []}]}").empty());
  CHECK(json_nesting_problem(std::string(64, '[') + std::string(64, ']')).empty());
  const auto deep = std::string(65, '[') + std::string(65, ']');
  CHECK_THAT(json_nesting_problem(deep),
             Catch::Contains("deeper than 64 levels at line 1, column 65"));
  CHECK(json_nesting_problem("\"" + std::string(100, '[') + "\"").empty());
  CHECK(json_nesting_problem("\"\\\"" + std::string(100, '{') + "\"").empty());
  CHECK_THAT(json_nesting_problem("{\n\"x\": [[[", 2), Catch::Contains("line 2, column 7"));
}

TEST_CASE("Values in messages are cut short, never inside a UTF-8 character",
          "[config][input_file]") {
  CHECK(cut_for_message(std::string(60, 'x')) == std::string(60, 'x'));
  CHECK(cut_for_message(std::string(61, 'x')) == std::string(57, 'x') + "...");
  // "é" is two bytes: with it at bytes 56-57 the cut backs off to byte 56.
  const auto text = std::string(56, 'x') + "\xC3\xA9" + std::string(10, 'y');
  CHECK(cut_for_message(text) == std::string(56, 'x') + "...");
}
