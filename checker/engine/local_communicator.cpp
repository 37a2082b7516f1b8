#include "checker/engine/local_communicator.hpp"

#include <algorithm>
#include <exception>
#include <thread>

namespace lmc {

LocalGroup::LocalGroup(int ranks)
    : ranks_(ranks),
      barrier_(ranks),
      mail_(ranks, std::vector<std::vector<std::uint64_t>>(ranks)),
      slots_(ranks) {}

void LocalCommunicator::exchange(const std::vector<std::vector<std::uint64_t>>& outgoing,
                                 std::vector<std::vector<std::uint64_t>>& incoming) {
  const int n = size();
  for (int to = 0; to < n; ++to) group_->mail_[rank_][to] = outgoing[to];
  group_->barrier_.arrive_and_wait();
  incoming.resize(n);
  for (int from = 0; from < n; ++from) incoming[from] = group_->mail_[from][rank_];
  group_->barrier_.arrive_and_wait();  // nobody writes again before all have read
}

template <class Combine>
void LocalCommunicator::reduce(std::span<std::uint64_t> values, Combine combine) {
  group_->slots_[rank_].assign(values.begin(), values.end());
  group_->barrier_.arrive_and_wait();
  for (int other = 0; other < size(); ++other) {
    if (other == rank_) continue;
    const auto& theirs = group_->slots_[other];
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = combine(values[i], theirs[i]);
  }
  group_->barrier_.arrive_and_wait();
}

void LocalCommunicator::sum(std::span<std::uint64_t> values) {
  reduce(values, [](std::uint64_t a, std::uint64_t b) { return a + b; });
}
void LocalCommunicator::min(std::span<std::uint64_t> values) {
  reduce(values, [](std::uint64_t a, std::uint64_t b) { return std::min(a, b); });
}

void LocalCommunicator::broadcast(std::vector<std::uint64_t>& words, int root) {
  if (rank_ == root) group_->slots_[root] = words;
  group_->barrier_.arrive_and_wait();
  if (rank_ != root) words = group_->slots_[root];
  group_->barrier_.arrive_and_wait();
}

void LocalCommunicator::barrier() {
  group_->barrier_.arrive_and_wait();
}

void run_local_ranks(int ranks, const std::function<void(Communicator&)>& body) {
  LocalGroup group(ranks);
  std::vector<std::exception_ptr> errors(ranks);
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      LocalCommunicator communicator(group, r);
      try {
        body(communicator);
      } catch (...) {
        errors[r] = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace lmc
