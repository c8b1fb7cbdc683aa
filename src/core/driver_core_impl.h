// DriverCore's private state, shared by the driver_core*.cpp files. Not part
// of the public API: only those files include it.
//
// Threads: the host calls the IASIO methods (normally from one thread at a
// time); the backend's audio thread calls processPeriod; the backend may call
// deviceEvent from a third thread. What the audio thread reads (the stream
// section below) is written only while no period can run: in createBuffers
// before start, and in disposeBuffers after stop. Everything shared with the
// other threads while running is an atomic or the seqlock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audio_backend.h"
#include "core/driver_core.h"
#include "core/error_message.h"
#include "core/host_buffers.h"
#include "core/host_callbacks.h"
#include "core/input_fifo.h"
#include "core/sample_convert.h"
#include "core/sample_position.h"

namespace a2w {

struct DriverCore::Impl {
  Impl(std::unique_ptr<AudioBackend> backendIn, DriverSettings settingsIn, DriverIdentity identityIn)
      : backend(std::move(backendIn)), settings(std::move(settingsIn)), identity(std::move(identityIn)) {}

  // Sets the message and returns the code, so failures read `return fail(...)`.
  asio::Error fail(asio::Error code, std::string_view message) {
    error.set(message);
    return code;
  }

  DriverState currentState() const { return state.load(std::memory_order_acquire); }
  void setState(DriverState s) { state.store(s, std::memory_order_release); }

  int channelCount(bool input) const {
    const DeviceDescription::Side& side = input ? description.capture : description.render;
    return side.present ? static_cast<int>(side.channelNames.size()) : 0;
  }
  // The buffer sizes at the current rate, with the user's preferred size applied.
  std::optional<BufferSizeOptions> bufferSizeOptions() const;

  // --- fixed at construction
  std::unique_ptr<AudioBackend> backend;
  DriverSettings settings;
  DriverIdentity identity;

  std::atomic<DriverState> state{DriverState::Loaded};
  ErrorMessage error;

  // --- from init (host thread)
  DeviceDescription description;
  double sampleRate = 0;  // the host-visible rate; the next createBuffers opens the stream at it

  // --- the stream, from createBuffers to disposeBuffers (read by the audio thread)
  struct Stream {
    double sampleRate = 0;
    std::int32_t bufferFrames = 0;
    StreamInfo info;
    asio::SampleType hostType = asio::SampleType::Float32LSB;
    std::size_t hostBytesPerSample = 0;
    // Per device slot, per half: the host buffer to play / to fill, or nullptr.
    std::array<std::vector<const void*>, 2> renderSources;
    std::array<std::vector<void*>, 2> captureDestinations;
    std::optional<TpdfDither> dither;
    // The input path (null without a capture stream): captureArrived fills
    // it, each period takes one host buffer out of it.
    std::unique_ptr<InputFifo> input;
  };
  Stream stream;
  HostCallbacks host;
  HostBuffers buffers;
  std::vector<bool> inputActive;   // per host input channel: has buffers
  std::vector<bool> outputActive;  // per host output channel: has buffers

  // --- audio thread only (reset by start() before the backend starts)
  asio::Time time{};
  std::int32_t nextIndex = 0;
  std::uint64_t framesSinceStart = 0;

  // --- shared across threads
  PublishedPosition position;
  std::atomic<bool> rateChangePending{false};  // kSampleRateChanged on the next period
  std::atomic<HostCallbacks::MessageFunction> resetMessenger{nullptr};
  std::atomic<bool> resetPending{false};
  std::atomic<std::uint64_t> periods{0};
  std::atomic<std::uint64_t> outputReadyCalls{0};
  std::atomic<std::uint64_t> overloads{0};
  std::atomic<std::uint64_t> mismatchedPeriods{0};
  std::atomic<std::uint64_t> deviceEvents{0};
  std::atomic<std::uint64_t> resetRequestsSent{0};

  // Asks the host to reset (stop, dispose, re-create) if it supports that.
  // Never from processPeriod: a host may handle the message synchronously.
  void requestReset();

  // The audio thread's work for one period (driver_core_audio.cpp).
  void runPeriod(const Period& period) noexcept;
};

}  // namespace a2w
