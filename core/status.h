// Status and Result<T>: how every layer of presentie reports an expected
// failure. Exceptions are reserved for programmer errors and are caught at
// third-party boundaries; only cli/ turns a Status into a message and an exit
// code.
#ifndef PRESENTIE_CORE_STATUS_H_
#define PRESENTIE_CORE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace presentie {

// What went wrong, coarse enough for the CLI to pick an exit code.
// Values are not persisted; they may be renumbered.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // input failed validation (a BSN, a CSV row, a flag)
  kNotFound,           // a named record does not exist
  kAlreadyExists,      // a record with that id exists
  kPermissionDenied,   // the writer's role may not do this (ownership)
  kFailedPrecondition, // the register is not in a state that allows this
  kDataLoss,           // stored data failed an integrity check (audit chain)
  kNoRegister,         // no register at the given path
  kBusy,               // the register is locked by another process
  kUnavailable,        // a remote party cannot be reached; retry later
  kInternal,           // a bug or an unexpected library failure
};

std::string_view StatusCodeName(StatusCode code);

// A success, or a failure with a code and a message for a person.
// Cheap to copy on success. Marked [[nodiscard]]: ignoring a Status on purpose
// is spelled `status.IgnoreError()` so that it can be found with grep.
class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not found: learner 'x' does not exist"
  std::string ToString() const;
  // Returns a copy whose message is prefixed with `context` and ": ".
  Status WithContext(std::string_view context) const;
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
inline Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// A value or a non-OK Status. Accessing the value of a failed Result is a
// programmer error (asserted).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace presentie

// Returns early from the enclosing function when `expr` (a Status) fails.
#define PRESENTIE_RETURN_IF_ERROR(expr)            \
  do {                                             \
    ::presentie::Status _st = (expr);              \
    if (!_st.ok()) return _st;                     \
  } while (0)

#define PRESENTIE_CONCAT_INNER_(a, b) a##b
#define PRESENTIE_CONCAT_(a, b) PRESENTIE_CONCAT_INNER_(a, b)
// `PRESENTIE_ASSIGN_OR_RETURN(auto x, F());` declares x from a Result or
// returns its Status.
#define PRESENTIE_ASSIGN_OR_RETURN(lhs, expr)                                  \
  auto PRESENTIE_CONCAT_(_res_, __LINE__) = (expr);                            \
  if (!PRESENTIE_CONCAT_(_res_, __LINE__).ok())                                \
    return PRESENTIE_CONCAT_(_res_, __LINE__).status();                        \
  lhs = std::move(PRESENTIE_CONCAT_(_res_, __LINE__)).value()

#endif  // PRESENTIE_CORE_STATUS_H_
