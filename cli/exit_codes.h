// The exit codes of the `presentie` program. Scripts depend on them: a value
// is never reused for another meaning (docs/cli.md lists them).
#ifndef PRESENTIE_CLI_EXIT_CODES_H_
#define PRESENTIE_CLI_EXIT_CODES_H_

#include "core/status.h"

namespace presentie::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;      // failure, internal error
inline constexpr int kExitUsage = 2;        // bad command line
inline constexpr int kExitNeedsPerson = 3;  // done, but conflicts or refused versions need an admin
inline constexpr int kExitOffline = 4;      // a remote party is unreachable; retry later
inline constexpr int kExitInvalidData = 5;  // input failed validation (a BSN, a CSV row)
inline constexpr int kExitNotFound = 6;  // a named learner, course, lesson or file does not exist
inline constexpr int kExitAlreadyExists = 7;  // a record with that id (or BSN) exists
inline constexpr int kExitDataLoss = 8;       // the audit chain or stored data failed a check
inline constexpr int kExitPermission = 9;     // the writer's role may not do this
inline constexpr int kExitNoRegister = 10;    // no register at the resolved path
inline constexpr int kExitLocked = 11;        // another process holds the register
inline constexpr int kExitAuthFailed = 12;    // a remote refused this device's token (401/403)
inline constexpr int kExitInterrupted = 130;  // SIGINT; the open transaction was rolled back

// The one mapping from a Status code to an exit code.
constexpr int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
      return kExitInvalidData;
    case StatusCode::kNotFound:
      return kExitNotFound;
    case StatusCode::kAlreadyExists:
      return kExitAlreadyExists;
    case StatusCode::kPermissionDenied:
      return kExitPermission;
    case StatusCode::kDataLoss:
      return kExitDataLoss;
    case StatusCode::kNoRegister:
      return kExitNoRegister;
    case StatusCode::kBusy:
      return kExitLocked;
    case StatusCode::kUnavailable:
      return kExitOffline;
    case StatusCode::kFailedPrecondition:
    case StatusCode::kInternal:
      return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_EXIT_CODES_H_
