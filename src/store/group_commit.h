#pragma once
// GroupCommit: concurrent callers whose items can be written together share one write. The
// first caller to find no write in progress becomes the leader: it takes every item queued so
// far (its own included) and calls commit once for all of them, while later callers queue for
// the next write, which one of them leads as soon as this one ends. So a write costs one round
// trip (or one commit) however many callers it serves, and no thread of its own is needed.
//
// commit(items) returns one outcome per item, in order. If it throws, every caller of that
// batch gets the exception. Safe for concurrent use by multiple threads; Submit blocks its
// caller until its item's batch is written.
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace portrait::store {

template <class Item, class Outcome>
class GroupCommit {
 public:
  using Commit = std::function<std::vector<Outcome>(const std::vector<Item>& items)>;

  explicit GroupCommit(Commit commit) : commit_(std::move(commit)) {}

  Outcome Submit(Item item) {
    Waiter waiter;
    waiter.item = std::move(item);
    std::unique_lock lock(mutex_);
    queue_.push_back(&waiter);
    written_.wait(lock, [&] { return waiter.done || !writing_; });
    if (!waiter.done) Lead(lock);
    if (waiter.fault) std::rethrow_exception(waiter.fault);
    return std::move(waiter.outcome);
  }

  // How many commits have run (for tests and metrics).
  size_t commits() {
    std::lock_guard lock(mutex_);
    return commits_;
  }

 private:
  struct Waiter {
    Item item;
    Outcome outcome{};
    std::exception_ptr fault;
    bool done = false;
  };

  // Requires lock held and no write in progress; returns with lock held.
  void Lead(std::unique_lock<std::mutex>& lock) {
    writing_ = true;
    std::vector<Waiter*> batch;
    batch.swap(queue_);
    ++commits_;
    lock.unlock();
    std::vector<Item> items;
    items.reserve(batch.size());
    for (Waiter* waiter : batch) items.push_back(std::move(waiter->item));
    std::exception_ptr fault;
    std::vector<Outcome> outcomes;
    try {
      outcomes = commit_(items);
      if (outcomes.size() != batch.size()) {
        throw std::logic_error("group commit: one outcome per item expected");
      }
    } catch (...) {
      fault = std::current_exception();
    }
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      if (fault) {
        batch[i]->fault = fault;
      } else {
        batch[i]->outcome = std::move(outcomes[i]);
      }
      batch[i]->done = true;
    }
    writing_ = false;
    written_.notify_all();
  }

  const Commit commit_;
  std::mutex mutex_;
  std::condition_variable written_;
  std::vector<Waiter*> queue_;  // guarded by mutex_
  bool writing_ = false;        // guarded by mutex_
  size_t commits_ = 0;          // guarded by mutex_
};

}  // namespace portrait::store
