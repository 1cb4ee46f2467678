// Result<T> and Error: how every fallible function in mfaenv reports failure. No exception crosses a
// module boundary; only cli/main.cc turns an Error into a process exit code.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace mfaenv {

// Exit-code classes of docs/design.md §2. The numeric values are the process exit codes.
enum class ErrorKind {
  kGeneric = 1,          // anything else
  kUsage = 2,            // bad command line
  kMfaCodeNeeded = 3,    // a code is needed and none can be asked for
  kAwsRefused = 4,       // AWS said no: wrong code, denied, expired or unknown keys
  kStsUnavailable = 5,   // STS unreachable or failing after retries
  kConfigInvalid = 6,    // configuration or input file invalid (message names file:line)
  // `exec`'s command could not be started; the codes shells use, so scripts read them the same way.
  kCommandNotExecutable = 126,
  kCommandNotFound = 127,
};

struct Error {
  ErrorKind kind = ErrorKind::kGeneric;
  std::string message;  // one line for people; never contains a secret

  int exit_code() const { return static_cast<int>(kind); }
};

template <typename... Args>
Error make_error(ErrorKind kind, fmt::format_string<Args...> format, Args&&... args) {
  return Error{kind, fmt::format(format, std::forward<Args>(args)...)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}        // NOLINT: implicit by design

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(data_); }
  const T& value() const& { assert(ok()); return std::get<0>(data_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(data_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(data_)); }

  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace mfaenv

// TRY(expr): evaluates a Result; on error returns the Error from the enclosing function, otherwise
// yields the value. Uses a GNU statement expression (g++ and clang both have it).
#define MFAENV_TRY(expr)                                   \
  ({                                                       \
    auto mfaenv_try_result_ = (expr);                      \
    if (!mfaenv_try_result_.ok())                          \
      return std::move(mfaenv_try_result_).error();        \
    std::move(mfaenv_try_result_).value();                 \
  })

// For Result<void>.
#define MFAENV_CHECK(expr)                                 \
  do {                                                     \
    auto mfaenv_check_result_ = (expr);                    \
    if (!mfaenv_check_result_.ok())                        \
      return std::move(mfaenv_check_result_).error();      \
  } while (0)
