#include "checker/engine/checkpoint.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

namespace lmc {

std::filesystem::path checkpoint_file(const std::string& directory) {
  return std::filesystem::path(directory) / "checkpoint.lmc";
}

std::size_t BinaryReader::count(std::size_t element_bytes) {
  std::uint64_t n = 0;
  pod(n);
  const auto here = in_->tellg();
  in_->seekg(0, std::ios::end);
  const auto end = in_->tellg();
  in_->seekg(here);
  if (here < 0 || end < here || n > static_cast<std::uint64_t>(end - here) / element_bytes) {
    fail(
        fmt::format("the file is cut short or damaged (a length of {} does not fit in what is "
                    "left of it)",
                    n));
  }
  return static_cast<std::size_t>(n);
}

void BinaryReader::fail(const std::string& what) const {
  throw CheckpointError(fmt::format("{}: {}", source_, what));
}

void BinaryReader::read(void* data, std::size_t bytes) {
  in_->read(static_cast<char*>(data), static_cast<std::streamsize>(bytes));
  if (static_cast<std::size_t>(in_->gcount()) != bytes)
    fail("the file is cut short or damaged (it ends too early)");
}

CheckpointOutput::CheckpointOutput(const std::string& directory)
    : final_(checkpoint_file(directory)), temporary_(final_.string() + ".tmp") {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    throw CheckpointError(
        fmt::format("{}: cannot create the directory ({})", directory, error.message()));
  }
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    throw CheckpointError(
        fmt::format("{}: cannot write ({})", temporary_.string(), std::strerror(errno)));
  }
}

void CheckpointOutput::commit() {
  out_.flush();
  if (!out_) {
    throw CheckpointError(fmt::format("{}: cannot write (disk full?)", temporary_.string()));
  }
  out_.close();
  std::error_code error;
  std::filesystem::rename(temporary_, final_, error);
  if (error) {
    throw CheckpointError(fmt::format("{}: cannot rename to {} ({})", temporary_.string(),
                                      final_.string(), error.message()));
  }
}

void write_checkpoint_header(BinaryWriter& out, const std::string& identity) {
  out.pod(kCheckpointMagic);
  out.pod(kCheckpointVersion);
  out.text(identity);
}

void read_checkpoint_header(BinaryReader& in, const std::string& identity) {
  std::uint64_t magic = 0;
  in.pod(magic);
  if (magic != kCheckpointMagic) in.fail("not an lmc checkpoint");
  std::uint32_t version = 0;
  in.pod(version);
  if (version != kCheckpointVersion) {
    in.fail(
        fmt::format("checkpoint format {}, this lmc reads format {}", version, kCheckpointVersion));
  }
  std::string theirs;
  in.text(theirs);
  if (theirs != identity) {
    in.fail(
        fmt::format("written by another search ({}); this one is {}: resume with the same "
                    "model, parameters and --storage, --symmetry, --no-deadlock, --continue",
                    theirs, identity));
  }
}

}  // namespace lmc
