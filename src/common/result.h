#pragma once
// Result<T, E>: a value or an expected failure. Portrait's one error rule:
//  - expected failures (bad input, not found, conflict) come back as values in a Result or Status;
//  - faults (I/O errors, a broken database) are thrown as exceptions derived from Fault and are
//    mapped to the Twitter error envelope (500/131) in one place, the API dispatcher.
#include <cassert>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace portrait {

// A fault: something that should not happen in normal operation (disk full, database gone).
class Fault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
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
