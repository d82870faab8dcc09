#include "sync/messages.h"

namespace presentie::sync {

std::string_view ToString(ErrorCode c) {
  switch (c) {
    case ErrorCode::kUnknown:
      return "unknown";
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kIdempotencyMismatch:
      return "idempotency_mismatch";
    case ErrorCode::kUnsupportedProtocol:
      return "unsupported_protocol";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

Status ValidateIdempotencyId(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return InvalidArgument("idempotency id must be 1 to 64 characters");
  }
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '-';
    if (!ok) return InvalidArgument("idempotency id may hold only letters, digits, '_' and '-'");
  }
  return Status::Ok();
}

}  // namespace presentie::sync
