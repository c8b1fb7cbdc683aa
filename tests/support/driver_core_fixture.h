// The common setup of the DriverCore tests: a core over a FakeBackend, a
// RecordingHost, and short-hands for the usual host steps. After each test
// the core is destroyed and the fake must have seen no protocol violation.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/driver_core.h"
#include "support/fake_backend.h"
#include "support/recording_host.h"

namespace a2w::test {

class DriverCoreTest : public ::testing::Test {
 protected:
  // Builds the core; tests that need another device or settings call it again.
  void make(FakeDeviceConfig config = {}, DriverSettings settings = {}) {
    core.reset();
    auto backend = std::make_unique<FakeBackend>(std::move(config));
    fake = backend.get();
    log = fake->log();
    this->settings = settings;
    core = std::make_unique<DriverCore>(std::move(backend), settings);
  }

  void SetUp() override { make(); }

  void TearDown() override {
    core.reset();
    fake = nullptr;
    EXPECT_TRUE(log->violations.empty()) << "first violation: " << (log->violations.empty() ? "" : log->violations[0]);
  }

  std::string errorText() const {
    char text[asio::kErrorMessageBytes + 8];
    std::memset(text, 'x', sizeof text);
    core->getErrorMessage(text);
    return text;
  }

  void initOk() { ASSERT_EQ(core->init(nullptr), asio::kTrue) << errorText(); }

  // BufferInfos for output channels 0..outputs-1 then input channels 0..inputs-1.
  static std::vector<asio::BufferInfo> channels(int outputs, int inputs) {
    std::vector<asio::BufferInfo> infos;
    for (int c = 0; c < outputs; ++c) infos.push_back({asio::kFalse, c, {nullptr, nullptr}});
    for (int c = 0; c < inputs; ++c) infos.push_back({asio::kTrue, c, {nullptr, nullptr}});
    return infos;
  }

  // createBuffers with the host's callbacks; on success the host is attached to the buffers.
  asio::Error create(std::vector<asio::BufferInfo>& infos, std::int32_t frames) {
    callbacks = host.callbacks();
    const asio::Error e =
        core->createBuffers(infos.data(), static_cast<std::int32_t>(infos.size()), frames, &callbacks);
    if (e == asio::err::kOk) {
      host.attach(infos.data(), static_cast<int>(infos.size()), settings.hostSampleType, frames);
    }
    return e;
  }

  // init, createBuffers (2 out, 2 in, 256 frames), start.
  void runningWith(std::vector<asio::BufferInfo>& infos, std::int32_t frames = 256) {
    initOk();
    ASSERT_EQ(create(infos, frames), asio::err::kOk) << errorText();
    ASSERT_EQ(core->start(), asio::err::kOk) << errorText();
  }

  RecordingHost host;  // declared first: outlives the core
  DriverSettings settings;
  FakeBackend* fake = nullptr;  // owned by the core
  std::shared_ptr<FakeBackendLog> log;
  asio::Callbacks callbacks{};
  std::unique_ptr<DriverCore> core;
};

// "contains" for error texts, with the text in the failure message.
inline ::testing::AssertionResult mentions(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << '"' << text << "\" does not mention \"" << part << '"';
}

}  // namespace a2w::test
