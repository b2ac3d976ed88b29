#pragma once
// A password in memory: owned bytes, wiped (sodium_memzero) when the object goes, never copied
// implicitly. The policy check says what is wrong without repeating the password.
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "signin/signin_options.h"

namespace portrait::signin {

class Password {
 public:
  Password() = default;
  // Copies text; wiping the source is the caller's.
  explicit Password(std::string_view text);
  Password(Password&& other) noexcept;
  Password& operator=(Password&& other) noexcept;
  Password(const Password&) = delete;
  Password& operator=(const Password&) = delete;
  ~Password();

  std::string_view view() const { return {bytes_.get(), size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  void Wipe();

  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
};

enum class PasswordProblem { kTooShort, kTooLong };

// Nothing when password meets policy. Characters are Unicode code points (bytes that do not
// continue a UTF-8 sequence); no character is forbidden and nothing is normalised.
std::optional<PasswordProblem> CheckPassword(const Password& password,
                                             const PasswordPolicy& policy);

}  // namespace portrait::signin
