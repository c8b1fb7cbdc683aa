// The result of a backend or core operation: an ASIO error code and, when it
// failed, a sentence for the user (getErrorMessage shows it, the log keeps it).
#pragma once

#include <string>
#include <utility>

#include "asio/asio_abi.h"

namespace a2w {

struct Status {
  asio::Error code = asio::err::kOk;
  std::string message;

  bool ok() const { return code == asio::err::kOk; }
  static Status success() { return {}; }
  static Status failure(asio::Error code, std::string message) { return {code, std::move(message)}; }
};

}  // namespace a2w
