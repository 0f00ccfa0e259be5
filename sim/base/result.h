#pragma once
// Result<T>: a value or an AwsError, returned at every AWS-visible boundary ("errors are values").
// AwsError carries what every AWS protocol needs to render an error: the wire code
// ("InvalidAMIID.NotFound"), the message, the HTTP status and whether the sender or AWS is at
// fault.
//
//   Result<Key> find(...);  auto r = find(...); if (!r.ok()) return r.error(); use(*r);

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "sim/base/assert.h"

namespace ibsim::sim {

enum class Fault { kSender, kReceiver };

struct AwsError {
  std::string code;     // AWS wire name, e.g. "AccessDeniedException".
  std::string message;  // Text shown to the caller, AWS's wording where known.
  int http_status = 400;
  Fault fault = Fault::kSender;
  // ibsim's own account of a denial or failure (which policy, which statement is missing, the
  // fix), as JSON text; never part of AWS's wire answer. Empty when there is nothing to add.
  std::string explanation;

  friend bool operator==(const AwsError&, const AwsError&) = default;
};

// Builds an AwsError; 5xx statuses are the receiver's fault, everything else the sender's.
inline AwsError aws_error(std::string code, std::string message, int http_status = 400) {
  const Fault fault = http_status >= 500 ? Fault::kReceiver : Fault::kSender;
  return AwsError{std::move(code), std::move(message), http_status, fault, {}};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design

  Result(AwsError error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }

  const T& value() const& {
    IBSIM_ASSERT(ok(), "value() is only read after checking ok()");
    return std::get<0>(state_);
  }

  T& value() & {
    IBSIM_ASSERT(ok(), "value() is only read after checking ok()");
    return std::get<0>(state_);
  }

  T&& value() && {
    IBSIM_ASSERT(ok(), "value() is only read after checking ok()");
    return std::get<0>(std::move(state_));
  }

  const AwsError& error() const {
    IBSIM_ASSERT(!ok(), "error() is only read after ok() returned false");
    return std::get<1>(state_);
  }

  const T& operator*() const& { return value(); }

  T& operator*() & { return value(); }

  T&& operator*() && { return std::move(*this).value(); }

  const T* operator->() const { return &value(); }

  T* operator->() { return &value(); }

 private:
  std::variant<T, AwsError> state_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;

  Result(AwsError error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }

  const AwsError& error() const {
    IBSIM_ASSERT(!ok(), "error() is only read after ok() returned false");
    return *error_;
  }

 private:
  std::optional<AwsError> error_;
};

using Status = Result<void>;

inline Status ok_status() {
  return Status();
}

}  // namespace ibsim::sim
