#include "checker/engine/distributed_checkpoint.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "checker/engine/checkpoint.hpp"

namespace lmc {
namespace {

constexpr const char* kLevelPrefix = "level-";
constexpr const char* kSuffix = ".lmc";

/// The depth a complete file's name gives, or nullopt (a temporary file,
/// something else).
std::optional<std::uint32_t> level_of(const std::filesystem::path& file) {
  const auto name = file.filename().string();
  const std::string prefix = kLevelPrefix;
  if (name.size() <= prefix.size() + 4 || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - 4, 4, kSuffix) != 0) {
    return std::nullopt;
  }
  const auto digits = name.substr(prefix.size(), name.size() - prefix.size() - 4);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      digits.size() > 9) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(std::stoul(digits));
}

std::filesystem::path level_file(const std::filesystem::path& directory, std::uint32_t depth) {
  return directory / fmt::format("{}{}{}", kLevelPrefix, depth, kSuffix);
}

std::vector<std::uint32_t> levels_in(const std::filesystem::path& directory) {
  std::vector<std::uint32_t> levels;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (const auto level = level_of(entry.path())) levels.push_back(*level);
  }
  return levels;
}

}  // namespace

std::filesystem::path rank_directory(const std::string& directory, int rank, int ranks) {
  return std::filesystem::path(directory) / fmt::format("rank-{}-of-{}", rank, ranks);
}

RankCheckpoint::RankCheckpoint(Communicator& comm, const std::string& directory,
                               std::uint32_t depth)
    : comm_(comm), directory_(rank_directory(directory, comm.rank(), comm.size())) {
  final_ = level_file(directory_, depth);
  temporary_ = final_.string() + ".tmp";
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) {
    error_ =
        fmt::format("{}: cannot create the directory ({})", directory_.string(), error.message());
    return;
  }
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    error_ = fmt::format("{}: cannot write ({})", temporary_.string(), std::strerror(errno));
  }
}

void RankCheckpoint::commit() {
  if (error_.empty()) {
    out_.flush();
    if (!out_) error_ = fmt::format("{}: cannot write (disk full?)", temporary_.string());
    out_.close();
  }
  agree_or_throw<CheckpointError>(
      comm_, error_, "write its checkpoint");  // every rank's file is whole before any is renamed
  std::error_code error;
  std::filesystem::rename(temporary_, final_, error);
  if (error) {
    error_ = fmt::format("{}: cannot rename to {} ({})", temporary_.string(), final_.string(),
                         error.message());
  }
  agree_or_throw<CheckpointError>(
      comm_, error_,
      "rename its checkpoint");  // every rank holds this level before any deletes an older one
  const auto keep = level_of(final_);
  for (const auto level : levels_in(directory_)) {
    if (level != keep) std::filesystem::remove(level_file(directory_, level), error);
  }
}

std::filesystem::path RankCheckpoint::latest(Communicator& comm, const std::string& directory) {
  const auto mine = rank_directory(directory, comm.rank(), comm.size());
  const auto levels = levels_in(mine);
  // Per rank, its newest level + 1 (0: none); the newest common level is the
  // smallest of these, which every rank still holds (see the header).
  std::vector<std::uint64_t> newest{0};
  for (const auto level : levels) newest[0] = std::max<std::uint64_t>(newest[0], level + 1u);
  comm.min(newest);
  if (newest[0] == 0) {
    throw CheckpointError(fmt::format(
        "{}: no checkpoint of a search on {} ranks in every rank's directory (rank-R-of-{}): "
        "resume with as many ranks as wrote it",
        directory, comm.size(), comm.size()));
  }
  return level_file(mine, static_cast<std::uint32_t>(newest[0] - 1));
}

}  // namespace lmc
