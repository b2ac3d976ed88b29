#pragma once
// Result<T, E>: a value or an expected failure. Portrait's one error rule:
//  - expected failures, which the caller can act on (bad input, not found, conflict, an invalid
//    key), come back as values in a Result or Status;
//  - faults, which no caller can correct (the disk is full or failing, a service is
//    unreachable, the database is broken), are thrown as exceptions derived from Fault. A
//    request that meets one is answered in one place, the API dispatcher: 500/131, or 503/130
//    for a TransientFault (try again later); the job runner answers a TransientFault by
//    postponing the job.
#include <cassert>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace portrait {

// A fault: something that should not happen in normal operation, and that repeating the same
// call is not expected to get past: a request the storage rejects as malformed (HTTP 400, a
// name the filesystem cannot hold), a corrupt database, a broken invariant.
class Fault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A fault that can clear with no change to the call: the storage is full (ENOSPC, EDQUOT), its
// disk fails (EIO, also on fsync), it is read-only for now (EROFS), it cannot be reached or
// answers late (connection refused, timeout), it is overloaded (HTTP 5xx, 429), it refuses this
// node's credentials (HTTP 401/403, EACCES: an operator's fix makes the same call succeed), or
// the database is full, locked or gone. Which codes each backend counts here is written in its
// header. Waiting and trying again is the right answer.
class TransientFault : public Fault {
 public:
  using Fault::Fault;
};

template <class E>
struct Failure {
  E error;
};
template <class E>
Failure(E) -> Failure<E>;

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  template <class F>
  Result(Failure<F> failure) : state_(std::in_place_index<1>, E(std::move(failure.error))) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

// Status: success, or an expected failure with a message.
class [[nodiscard]] Status {
 public:
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  Status() = default;
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

}  // namespace portrait
