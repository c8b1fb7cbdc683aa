// How asiohost reports a failure: commands throw HostError, main() prints its
// one-line message on stderr after "asiohost: " and exits with its code.
#pragma once

#include <stdexcept>
#include <string>

namespace a2w::host {

enum ExitCode : int {
  kExitOk = 0,
  kExitDriverError = 1,  // the driver failed, misbehaved or is missing
  kExitUsage = 2,        // bad command line
};

class HostError : public std::runtime_error {
 public:
  HostError(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

[[noreturn]] inline void usageError(const std::string& message) { throw HostError(kExitUsage, message); }
[[noreturn]] inline void driverError(const std::string& message) { throw HostError(kExitDriverError, message); }

}  // namespace a2w::host
