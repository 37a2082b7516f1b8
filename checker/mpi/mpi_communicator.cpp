#include "checker/mpi/mpi_communicator.hpp"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace lmc {
namespace {

/// Words per MPI message: MPI counts are ints, so a larger buffer goes in
/// pieces of this size (1 GiB).
constexpr std::uint64_t kPieceWords = std::uint64_t{1} << 27;

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    MPI_Comm_dup(MPI_COMM_WORLD, &comm_);
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }
  ~MpiCommunicator() override { MPI_Comm_free(&comm_); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void exchange(const std::vector<std::vector<std::uint64_t>>& outgoing,
                std::vector<std::vector<std::uint64_t>>& incoming) override {
    std::vector<std::uint64_t> send_counts(size_);
    std::vector<std::uint64_t> receive_counts(size_);
    for (int r = 0; r < size_; ++r) send_counts[r] = outgoing[r].size();
    MPI_Alltoall(send_counts.data(), 1, MPI_UINT64_T, receive_counts.data(), 1, MPI_UINT64_T,
                 comm_);
    incoming.resize(size_);
    std::uint64_t largest = 0;
    for (int r = 0; r < size_; ++r) {
      incoming[r].resize(receive_counts[r]);
      largest = std::max({largest, send_counts[r], receive_counts[r]});
    }
    MPI_Allreduce(MPI_IN_PLACE, &largest, 1, MPI_UINT64_T, MPI_MAX, comm_);
    // Piece p carries words [p * kPieceWords, (p + 1) * kPieceWords) of
    // every buffer; the same number of pieces on every rank.
    std::vector<int> send(size_), send_at(size_), receive(size_), receive_at(size_);
    std::vector<std::uint64_t> packed_out;
    std::vector<std::uint64_t> packed_in;
    for (std::uint64_t first = 0; first == 0 || first < largest; first += kPieceWords) {
      packed_out.clear();
      int at = 0;
      for (int r = 0; r < size_; ++r) {
        const auto& buffer = outgoing[r];
        const auto begin = std::min<std::uint64_t>(first, buffer.size());
        const auto end = std::min<std::uint64_t>(first + kPieceWords, buffer.size());
        packed_out.insert(packed_out.end(), buffer.begin() + begin, buffer.begin() + end);
        send[r] = static_cast<int>(end - begin);
        send_at[r] = at;
        at += send[r];
      }
      at = 0;
      for (int r = 0; r < size_; ++r) {
        const auto count = receive_counts[r];
        receive[r] =
            static_cast<int>(std::min(count, first + kPieceWords) - std::min(count, first));
        receive_at[r] = at;
        at += receive[r];
      }
      packed_in.resize(static_cast<std::size_t>(at));
      MPI_Alltoallv(packed_out.data(), send.data(), send_at.data(), MPI_UINT64_T, packed_in.data(),
                    receive.data(), receive_at.data(), MPI_UINT64_T, comm_);
      for (int r = 0; r < size_; ++r) {
        std::copy(
            packed_in.begin() + receive_at[r], packed_in.begin() + receive_at[r] + receive[r],
            incoming[r].begin() + static_cast<std::ptrdiff_t>(std::min(receive_counts[r], first)));
      }
    }
  }

  void sum(std::span<std::uint64_t> values) override {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_UINT64_T,
                  MPI_SUM, comm_);
  }
  void min(std::span<std::uint64_t> values) override {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_UINT64_T,
                  MPI_MIN, comm_);
  }

  void broadcast(std::vector<std::uint64_t>& words, int root) override {
    std::uint64_t length = words.size();
    MPI_Bcast(&length, 1, MPI_UINT64_T, root, comm_);
    words.resize(length);
    for (std::uint64_t first = 0; first < length; first += kPieceWords) {
      const auto count = static_cast<int>(std::min(kPieceWords, length - first));
      MPI_Bcast(words.data() + first, count, MPI_UINT64_T, root, comm_);
    }
  }

  void barrier() override { MPI_Barrier(comm_); }

 private:
  MPI_Comm comm_{};
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

MpiSession::MpiSession() {
  // mpirun passes what the ranks need in the environment, not in argv.
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  world_ = std::make_unique<MpiCommunicator>();
}

MpiSession::~MpiSession() {
  world_.reset();
  MPI_Finalize();
}

void MpiSession::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; this says so to the compiler
}

Communicator& MpiSession::world() {
  return *world_;
}

}  // namespace lmc
