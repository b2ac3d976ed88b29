#include "signin/password.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace portrait::signin {

Password::Password(std::string_view text)
    : bytes_(std::make_unique<char[]>(std::max<size_t>(text.size(), 1))), size_(text.size()) {
  std::memcpy(bytes_.get(), text.data(), text.size());
}

Password::Password(Password&& other) noexcept
    : bytes_(std::move(other.bytes_)), size_(std::exchange(other.size_, 0)) {}

Password& Password::operator=(Password&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Password::~Password() { Wipe(); }

void Password::Wipe() {
  if (bytes_) sodium_memzero(bytes_.get(), size_);
  size_ = 0;
}

std::optional<PasswordProblem> CheckPassword(const Password& password,
                                             const PasswordPolicy& policy) {
  if (password.size() > policy.max_bytes) return PasswordProblem::kTooLong;
  const std::string_view bytes = password.view();
  const auto characters = std::count_if(bytes.begin(), bytes.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (static_cast<size_t>(characters) < policy.min_characters) return PasswordProblem::kTooShort;
  return std::nullopt;
}

}  // namespace portrait::signin
