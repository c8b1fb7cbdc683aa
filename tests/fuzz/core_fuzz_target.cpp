// The core fuzz target: a random device (the fake backend), random settings,
// a random host, then a random sequence of IASIO calls with random arguments,
// interleaved with the backend's periods, capture packets, device events,
// backend faults and live settings changes. After every step it checks:
//  - every call returns an ASIO error code, and a failure leaves a sentence
//    for getErrorMessage (NUL-terminated, at most 124 bytes, no control
//    characters); fixed-size texts stay inside their buffers;
//  - the driver's state follows the ASIO state machine (a model kept here),
//    and a failed call leaves it where it was;
//  - host callbacks come only through the callbacks of the current buffers,
//    bufferSwitch only inside a period of a running driver (never after
//    stop), with alternating indices and rising sample positions; messages
//    only the host said it understands, kResetRequest never from a period;
//  - the fake backend saw no protocol violation (prepare before open, ...);
//  - at the end (and when the bytes ask) the driver still works: a clean
//    init / createBuffers / start / periods / stop / disposeBuffers succeeds
//    after whatever came before.
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/driver_core.h"
#include "core/sample_convert.h"
#include "core/vendor_selectors.h"
#include "fuzz/core_fuzz_inputs.h"
#include "fuzz/fuzz_bytes.h"
#include "fuzz/fuzz_targets.h"
#include "support/fake_backend.h"

namespace a2w::fuzz {
namespace {

CoreFuzzCounts gCounts;

[[noreturn]] void broken(const std::string& what) { violated("core fuzz", what); }

const char* stateName(DriverState s) {
  switch (s) {
    case DriverState::Loaded: return "Loaded";
    case DriverState::Initialised: return "Initialised";
    case DriverState::Prepared: return "Prepared";
    case DriverState::Running: return "Running";
  }
  return "?";
}

bool isAsioError(asio::Error e) {
  switch (e) {
    case asio::err::kOk:
    case asio::err::kSuccess:
    case asio::err::kNotPresent:
    case asio::err::kHardwareMalfunction:
    case asio::err::kInvalidParameter:
    case asio::err::kInvalidMode:
    case asio::err::kSamplePositionNotAdvancing:
    case asio::err::kNoClock:
    case asio::err::kNoMemory: return true;
    default: return false;
  }
}

bool hasBuffers(DriverState s) { return s == DriverState::Prepared || s == DriverState::Running; }

// A text the driver wrote into `bytes` bytes: NUL-terminated inside them,
// nothing written past them (the guard), no control characters.
constexpr unsigned char kGuard = 0xEE;
std::string checkedText(const char* what, const unsigned char* buffer, std::size_t bytes, std::size_t guardBytes) {
  const void* nul = std::memchr(buffer, 0, bytes);
  if (nul == nullptr) broken(std::string(what) + ": no NUL within " + std::to_string(bytes) + " bytes");
  for (std::size_t i = bytes; i < bytes + guardBytes; ++i) {
    if (buffer[i] != kGuard) broken(std::string(what) + ": wrote past its " + std::to_string(bytes) + " bytes");
  }
  const std::string text(reinterpret_cast<const char*>(buffer));
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) broken(std::string(what) + ": control character in \"" + text + "\"");
  }
  return text;
}

template <std::size_t N>
struct Guarded {
  static constexpr std::size_t kGuardBytes = 32;
  std::array<unsigned char, N + kGuardBytes> bytes;
  Guarded() { bytes.fill(kGuard); }
  char* text() { return reinterpret_cast<char*>(bytes.data()); }
  std::string check(const char* what) const { return checkedText(what, bytes.data(), N, kGuardBytes); }
};

class Session;
Session* gSession = nullptr;  // ASIO callbacks carry no user pointer: the host's only way in

// Two sets of callbacks, alternating between createBuffers calls, so a call
// through the previous buffers' callbacks is seen.
template <int Slot>
struct Trampolines {
  static void bufferSwitch(std::int32_t index, asio::Bool direct);
  static asio::Time* bufferSwitchTimeInfo(asio::Time* time, std::int32_t index, asio::Bool direct);
  static void sampleRateDidChange(asio::SampleRate rate);
  static std::int32_t asioMessage(std::int32_t selector, std::int32_t value, void* message, double* opt);
};

class Session {
 public:
  Session(const std::uint8_t* data, std::size_t size) : in_(data, size) { gSession = this; }
  ~Session() { gSession = nullptr; }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void run() {
    device_ = randomDevice(in_);
    host_ = randomHost(in_);
    makeCore(randomSettings(in_));
    constexpr int kMaxSteps = 400;
    for (int step = 0; step < kMaxSteps && !in_.exhausted(); ++step) {
      const int op = in_.below(kOps);
      runOp(op);
      expectState(op);
    }
    stillWorks();
    destroyCore();
  }

  // --- the host's callbacks
  void onBufferSwitch(int slot, std::int32_t index, const asio::Time* time, bool viaTimeInfo);
  std::int32_t onMessage(int slot, std::int32_t selector, std::int32_t value);
  void onSampleRateChanged(int slot, double rate);

 private:
  // Operations 0..31 each do one kind of thing; the rest (a third of all
  // draws) take a typical host's next step, so that random bytes reach the
  // running state often, where most of the interesting checks are.
  static constexpr int kOps = 48;
  void runOp(int op);
  void nextStep();

  // --- the core and its backend
  void makeCore(DriverSettings settings) {
    auto backend = std::make_unique<test::FakeBackend>(device_.config);
    fake_ = backend.get();
    log_ = fake_->log();
    core_ = std::make_unique<DriverCore>(std::move(backend), std::move(settings));
    model_ = DriverState::Loaded;
    forgetBuffers();
  }
  void destroyCore() {
    core_.reset();  // from any state: the destructor releases what the host left
    fake_ = nullptr;
    checkBackend("destroying the core");
    forgetBuffers();
  }
  void checkBackend(const char* after) const {
    if (log_ && !log_->violations.empty()) {
      broken(std::string("the backend saw \"") + log_->violations.front() + "\" (after " + after + ")");
    }
  }
  void expectState(int op) const {
    checkBackend("an operation");
    if (core_->state() != model_) {
      broken("after operation " + std::to_string(op) + " the driver is " + stateName(core_->state()) + ", expected " +
             stateName(model_));
    }
    if (fake_->isStarted() && model_ != DriverState::Running) {
      broken(std::string("the backend runs while the driver is ") + stateName(model_));
    }
  }
  void forgetBuffers() {
    buffers_.clear();
    slot_ = -1;
    bufferFrames_ = 0;
  }

  // --- calls, checked
  asio::Error checked(const char* what, asio::Error e) {
    ++gCounts.calls;
    if (!isAsioError(e)) broken(std::string(what) + " returned " + std::to_string(e) + ", not an ASIO error code");
    if (e != asio::err::kOk && e != asio::err::kSuccess) {
      ++gCounts.failedCalls;
      if (e != asio::err::kNotPresent) requireMessage(what);  // kNotPresent is an answer, not a failure
    }
    return e;
  }
  std::string errorMessage() {
    ++gCounts.calls;
    Guarded<asio::kErrorMessageBytes> text;
    core_->getErrorMessage(text.text());
    return text.check("getErrorMessage");
  }
  void requireMessage(const char* what) {
    if (errorMessage().empty()) broken(std::string(what) + " failed and left no message");
  }
  void require(bool condition, const std::string& what) const {
    if (!condition) broken(what);
  }

  // --- the lifecycle (also used by the host's inline reset and stillWorks)
  asio::Bool init();
  // How a host builds createBuffers' arguments: Strict as a careful host
  // does (every channel, the preferred size), Mostly correct with a twist
  // now and then, Any argument at all (within the host's own arrays).
  enum class Args { Strict, Mostly, Any };
  asio::Error createBuffers(Args args);
  asio::Error start();
  asio::Error stop();
  asio::Error disposeBuffers();
  int tick(int periods);
  void stillWorks();

  // --- the other calls
  void queries(int which);
  void samplePosition();
  void channelInfo();
  void future();
  void capture();
  void backendFaults();
  void settingsChange();
  void deviceEvent();

  asio::Callbacks callbacksFor(int slot) const;
  std::uint32_t nextRandom() {
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 17;
    rng_ ^= rng_ << 5;
    return rng_;
  }
  void playAndRecord(std::int32_t index);

  FuzzBytes in_;
  FuzzDevice device_;
  HostBehaviour host_;
  std::unique_ptr<DriverCore> core_;
  test::FakeBackend* fake_ = nullptr;
  std::shared_ptr<test::FakeBackendLog> log_;

  // The model of the driver, as the host sees it.
  DriverState model_ = DriverState::Loaded;
  std::vector<asio::BufferInfo> buffers_;  // what the last successful createBuffers gave
  std::int32_t bufferFrames_ = 0;
  asio::SampleType hostType_ = asio::SampleType::Float32LSB;
  int slot_ = -1;                  // callbacks of the current buffers
  int lastSlot_ = 1;
  int connectingSlot_ = -1;        // during createBuffers
  std::uint32_t answeredYes_ = 0;  // kSelectorSupported answers for the current buffers
  std::uint32_t answering_ = 0;    // ... during a createBuffers call (kept if it succeeds)
  bool expectTimeInfo_ = false;
  bool inPeriod_ = false;          // inside the backend's period (or capture) processing
  int inlineDepth_ = 0;
  std::int32_t expectedIndex_ = 0;
  std::optional<std::uint64_t> lastPosition_;  // bufferSwitchTimeInfo's position since start
  std::uint64_t switches_ = 0;
  std::uint32_t rng_ = 1;
  std::vector<std::byte> packet_;
  volatile unsigned sink_ = 0;     // input bytes read by an armed host
};

// ----------------------------------------------------------------- lifecycle

asio::Bool Session::init() {
  const DriverState before = model_;
  int handle = 0;
  ++gCounts.calls;
  const asio::Bool r = core_->init(in_.flag() ? nullptr : &handle);
  if (r != asio::kTrue && r != asio::kFalse) broken("init returned " + std::to_string(r));
  if (r == asio::kTrue) {
    require(core_->state() != DriverState::Loaded, "init said yes and left the driver Loaded");
    if (before == DriverState::Loaded) model_ = DriverState::Initialised;
  } else {
    ++gCounts.failedCalls;
    requireMessage("init");
    require(!hasBuffers(before), std::string("init failed on a driver with buffers (") + stateName(before) + ")");
    model_ = DriverState::Loaded;
  }
  return r;
}

asio::Callbacks Session::callbacksFor(int slot) const {
  asio::Callbacks cb{};
  if (slot == 0) {
    cb = {&Trampolines<0>::bufferSwitch, &Trampolines<0>::sampleRateDidChange, &Trampolines<0>::asioMessage,
          &Trampolines<0>::bufferSwitchTimeInfo};
  } else {
    cb = {&Trampolines<1>::bufferSwitch, &Trampolines<1>::sampleRateDidChange, &Trampolines<1>::asioMessage,
          &Trampolines<1>::bufferSwitchTimeInfo};
  }
  if (!host_.giveAsioMessage) cb.asioMessage = nullptr;
  if (!host_.giveTimeInfo) cb.bufferSwitchTimeInfo = nullptr;
  return cb;
}

// A host that lies about its own array sizes is out of scope: counts never
// exceed the array passed.
asio::Error Session::createBuffers(Args args) {
  const bool valid = args != Args::Any;
  const bool strict = args == Args::Strict;
  std::int32_t inputs = 0, outputs = 0;
  std::int32_t minSize = 0, maxSize = 0, preferred = 0, granularity = 0;
  if (model_ != DriverState::Loaded) {
    checked("getChannels", core_->getChannels(&inputs, &outputs));
    checked("getBufferSize", core_->getBufferSize(&minSize, &maxSize, &preferred, &granularity));
  }
  std::vector<asio::BufferInfo> infos;
  if (valid) {
    for (std::int32_t c = 0; c < outputs; ++c) {
      if (strict || in_.flag() || (c == outputs - 1 && infos.empty() && inputs == 0)) infos.push_back({asio::kFalse, c, {}});
    }
    for (std::int32_t c = 0; c < inputs; ++c) {
      if (strict || in_.flag() || (c == inputs - 1 && infos.empty())) infos.push_back({asio::kTrue, c, {}});
    }
    if (infos.size() > 1 && in_.flag()) std::swap(infos.front(), infos.back());
  } else {
    const int entries = in_.below(12);
    for (int i = 0; i < entries; ++i) {
      infos.push_back({in_.pick<asio::Bool>({asio::kFalse, asio::kTrue, 2, -1}),
                       static_cast<std::int32_t>(in_.range(-2, 9)), {}});
    }
  }
  std::int32_t frames = preferred;
  switch (strict ? 3 : in_.below(valid ? 6 : 3)) {
    case 0: frames = in_.interestingInt(); break;
    case 1: frames = minSize; break;
    case 2: frames = maxSize; break;
    default: break;
  }
  std::int32_t count = static_cast<std::int32_t>(infos.size());
  if (!valid && in_.flag()) count = static_cast<std::int32_t>(in_.range(-2, count));
  const int slot = lastSlot_ ^ 1;
  asio::Callbacks callbacks = callbacksFor(slot);
  if (!valid && in_.oneIn(4)) callbacks.bufferSwitch = nullptr;
  asio::Callbacks* callbacksArg = !valid && in_.oneIn(8) ? nullptr : &callbacks;
  asio::BufferInfo* infosArg = !valid && in_.oneIn(8) ? nullptr : infos.data();

  const DriverState before = model_;
  answering_ = 0;
  connectingSlot_ = slot;
  const asio::Error e = checked("createBuffers", core_->createBuffers(infosArg, count, frames, callbacksArg));
  connectingSlot_ = -1;
  if (e != asio::err::kOk) {
    for (const asio::BufferInfo& b : infos) {
      require(b.buffers[0] == nullptr && b.buffers[1] == nullptr, "a refused createBuffers handed out buffers");
    }
    return e;
  }
  require(before == DriverState::Initialised, std::string("createBuffers succeeded in state ") + stateName(before));
  require(count > 0 && infosArg != nullptr, "createBuffers accepted no channels");
  model_ = DriverState::Prepared;
  answeredYes_ = answering_;
  lastSlot_ = slot;
  slot_ = slot;
  buffers_.assign(infos.begin(), infos.begin() + count);
  bufferFrames_ = frames;
  const std::uint32_t timeInfoBit = 1u << asio::msg::kSupportsTimeInfo;
  expectTimeInfo_ = callbacks.bufferSwitchTimeInfo != nullptr && (answering_ & timeInfoBit) != 0 &&
                    host_.timeInfoAnswer == 1;
  // What a host asks next: each channel's type, to know its buffers' layout.
  for (std::size_t i = 0; i < buffers_.size(); ++i) {
    const asio::BufferInfo& b = buffers_[i];
    require(b.buffers[0] != nullptr && b.buffers[1] != nullptr && b.buffers[0] != b.buffers[1],
            "createBuffers gave entry " + std::to_string(i) + " a null or shared half");
    asio::ChannelInfo info{};
    info.channel = b.channelNum;
    info.isInput = b.isInput;
    require(checked("getChannelInfo", core_->getChannelInfo(&info)) == asio::err::kOk,
            "getChannelInfo refused a channel createBuffers accepted");
    require(info.isActive == asio::kTrue, "a channel with buffers is not active");
    require(bytesPerSample(info.type) > 0, "a channel's sample type is not one the driver converts");
    if (i == 0) hostType_ = info.type;
    require(info.type == hostType_, "channels of one createBuffers have different sample types");
  }
  return e;
}

asio::Error Session::start() {
  const DriverState before = model_;
  const asio::Error e = checked("start", core_->start());
  if (e == asio::err::kOk) {
    require(before == DriverState::Prepared, std::string("start succeeded in state ") + stateName(before));
    model_ = DriverState::Running;
    expectedIndex_ = 0;
    lastPosition_.reset();
  }
  return e;
}

asio::Error Session::stop() {
  const DriverState before = model_;
  const asio::Error e = checked("stop", core_->stop());
  require((e == asio::err::kOk) == hasBuffers(before),
          std::string("stop answered ") + asio::errorName(e) + " in state " + stateName(before));
  if (e == asio::err::kOk) model_ = DriverState::Prepared;
  return e;
}

asio::Error Session::disposeBuffers() {
  const DriverState before = model_;
  const asio::Error e = checked("disposeBuffers", core_->disposeBuffers());
  require((e == asio::err::kOk) == hasBuffers(before),
          std::string("disposeBuffers answered ") + asio::errorName(e) + " in state " + stateName(before));
  if (e == asio::err::kOk) {
    model_ = DriverState::Initialised;
    forgetBuffers();
  }
  return e;
}

int Session::tick(int periods) {
  const bool running = model_ == DriverState::Running;
  const bool backendRuns = fake_->isStarted();
  inPeriod_ = true;
  const int ran = fake_->tick(periods);
  inPeriod_ = false;
  gCounts.periods += static_cast<std::uint64_t>(ran);
  require(running || ran == 0, std::to_string(ran) + " periods ran while the driver is " + stateName(model_));
  require(!backendRuns || ran == periods, "the backend ran " + std::to_string(ran) + " of " + std::to_string(periods) + " periods");
  return ran;
}

// After whatever came before, a clean host session must work (or, on a
// device the core cannot use, init must refuse it with a message).
void Session::stillWorks() {
  ++gCounts.stillWorksChecks;
  fake_->failOpen(std::nullopt);
  fake_->failPrepare(std::nullopt);
  fake_->failStart(std::nullopt);
  fake_->setPeriodFrames(0);
  core_->setConfigError(Status::success());
  host_.resetInline = false;
  if (model_ == DriverState::Running) require(stop() == asio::err::kOk, "stillWorks: stop failed");
  if (model_ == DriverState::Prepared) require(disposeBuffers() == asio::err::kOk, "stillWorks: disposeBuffers failed");
  core_->applySettings(DriverSettings{}, "fuzz: back to the defaults");  // taken by the next init
  if (init() != asio::kTrue) {
    require(!device_.usable, "stillWorks: init refused a usable device: " + errorMessage());
    return;
  }
  require(device_.usable, "stillWorks: init accepted a device it cannot use");
  const std::uint64_t switchesBefore = switches_;
  std::int32_t minSize = 0, maxSize = 0, preferred = 0, granularity = 0;
  require(checked("getBufferSize", core_->getBufferSize(&minSize, &maxSize, &preferred, &granularity)) == asio::err::kOk,
          "stillWorks: getBufferSize failed");
  const asio::Error created = createBuffers(Args::Strict);
  if (device_.config.streamBufferFrames != 0 && device_.config.streamBufferFrames != preferred) {
    // The fake opened periods of another size: refused as documented.
    require(created == asio::err::kHardwareMalfunction, "stillWorks: a stream of the wrong period is not a HW error");
    return;
  }
  require(created == asio::err::kOk, "stillWorks: createBuffers failed: " + errorMessage());
  require(start() == asio::err::kOk, "stillWorks: start failed: " + errorMessage());
  tick(4);
  require(switches_ > switchesBefore, "stillWorks: 4 periods and no bufferSwitch");
  require(stop() == asio::err::kOk, "stillWorks: stop failed");
  require(disposeBuffers() == asio::err::kOk, "stillWorks: disposeBuffers failed");
}

// ------------------------------------------------------------------ the ops

void Session::runOp(int op) {
  switch (op) {
    case 0: init(); break;
    case 1:
    case 2: createBuffers(in_.oneIn(4) ? Args::Any : Args::Mostly); break;
    case 3:
    case 4: start(); break;
    case 5: stop(); break;
    case 6: disposeBuffers(); break;
    case 7:
    case 8:
    case 9:
    case 10: tick(1 + in_.below(8)); break;
    case 11:
    case 12:
    case 13: queries(in_.below(8)); break;
    case 14: samplePosition(); break;
    case 15: channelInfo(); break;
    case 16: future(); break;
    case 17: checked("outputReady", core_->outputReady()); break;
    case 18: {  // identity and the panel
      Guarded<asio::kDriverNameBytes> name;
      ++gCounts.calls;
      core_->getDriverName(name.text());
      require(!name.check("getDriverName").empty(), "getDriverName gave an empty name");
      ++gCounts.calls;
      (void)core_->getDriverVersion();
      errorMessage();
      checked("controlPanel", core_->controlPanel());
      break;
    }
    case 19:
    case 20: deviceEvent(); break;
    case 21:
    case 22: capture(); break;
    case 23: {  // capture faults, by packet number from now
      const std::uint64_t first = fake_->capturePacketsDelivered() + static_cast<std::uint64_t>(in_.range(0, 8));
      const auto count = static_cast<std::uint64_t>(in_.range(1, 16));
      if (in_.flag()) fake_->silenceCapturePackets(first, count); else fake_->loseCapturePackets(first, count);
      break;
    }
    case 24: fake_->setPeriodFrames(in_.pick<std::int32_t>({0, 0, 1, 64, 255, 257, 480, 4096, 8192})); break;
    case 25: backendFaults(); break;
    case 26:
    case 27: settingsChange(); break;
    case 28: host_ = randomHost(in_); break;  // answers count from the next createBuffers
    case 29: {  // what the panel and the logger's poll read
      (void)core_->stats();
      (void)core_->settings();
      (void)core_->lastResetReason();
      (void)core_->configError();
      (void)core_->backend().listEndpoints();
      break;
    }
    case 30:  // expensive and starting over: one draw in four
      if (in_.oneIn(4)) stillWorks(); else nextStep();
      break;
    case 31:  // the host releases the driver in any state, and loads it again
      if (in_.oneIn(4)) {
        destroyCore();
        if (in_.flag()) device_ = randomDevice(in_);
        makeCore(randomSettings(in_));
      } else {
        nextStep();
      }
      break;
    default: nextStep(); break;
  }
}

void Session::nextStep() {
  switch (model_) {
    case DriverState::Loaded: init(); break;
    case DriverState::Initialised: createBuffers(Args::Mostly); break;
    case DriverState::Prepared: start(); break;
    case DriverState::Running: tick(1 + in_.below(16)); break;
  }
}

void Session::queries(int which) {
  std::int32_t a = -7, b = -7, c = -7, d = -7;
  auto maybe = [&](std::int32_t* p) { return in_.oneIn(8) ? nullptr : p; };
  switch (which) {
    case 0:
      if (checked("getChannels", core_->getChannels(maybe(&a), maybe(&b))) == asio::err::kOk) {
        require(a >= 0 && b >= 0 && a + b > 0, "getChannels: " + std::to_string(a) + " in, " + std::to_string(b) + " out");
      }
      break;
    case 1:
      if (checked("getLatencies", core_->getLatencies(maybe(&a), maybe(&b))) == asio::err::kOk) {
        require(a >= 0 && b >= 0, "getLatencies: " + std::to_string(a) + " in, " + std::to_string(b) + " out");
      }
      break;
    case 2:
      if (checked("getBufferSize", core_->getBufferSize(maybe(&a), maybe(&b), maybe(&c), maybe(&d))) == asio::err::kOk) {
        require(a > 0 && a <= b && c > 0 && d >= -1, "getBufferSize: min " + std::to_string(a) + " max " +
                                                          std::to_string(b) + " preferred " + std::to_string(c) +
                                                          " granularity " + std::to_string(d));
      }
      break;
    case 3: {
      const asio::Error e = checked("canSampleRate", core_->canSampleRate(in_.interestingDouble()));
      require(e == asio::err::kOk || e == asio::err::kNoClock || e == asio::err::kInvalidMode,
              std::string("canSampleRate answered ") + asio::errorName(e));
      break;
    }
    case 4: {
      double rate = -1;
      if (checked("getSampleRate", core_->getSampleRate(in_.oneIn(8) ? nullptr : &rate)) == asio::err::kOk) {
        require(std::isfinite(rate) && rate > 0, "getSampleRate: " + std::to_string(rate));
      }
      break;
    }
    case 5: checked("setSampleRate", core_->setSampleRate(in_.interestingDouble())); break;
    case 6: {
      std::array<asio::ClockSource, 4> clocks{};
      std::int32_t count = in_.pick<std::int32_t>({1, 4, 2, 0, -1, -2147483647 - 1});
      if (checked("getClockSources", core_->getClockSources(in_.oneIn(8) ? nullptr : clocks.data(), maybe(&count))) ==
          asio::err::kOk) {
        require(count >= 1 && count <= 4, "getClockSources: " + std::to_string(count) + " clocks");
        require(std::memchr(clocks[0].name, 0, asio::kClockNameBytes) != nullptr, "getClockSources: name without NUL");
      }
      break;
    }
    default: checked("setClockSource", core_->setClockSource(in_.interestingInt())); break;
  }
}

void Session::samplePosition() {
  asio::Samples position{};
  asio::TimeStamp stamp{};
  const asio::Error e = checked("getSamplePosition", core_->getSamplePosition(in_.oneIn(8) ? nullptr : &position,
                                                                              in_.oneIn(8) ? nullptr : &stamp));
  if (e != asio::err::kOk) return;
  require(model_ == DriverState::Running, std::string("getSamplePosition succeeded in state ") + stateName(model_));
  if (lastPosition_) {
    require(asio::fromSplit64(position) == *lastPosition_,
            "getSamplePosition says " + std::to_string(asio::fromSplit64(position)) + ", the last buffer started at " +
                std::to_string(*lastPosition_));
  }
}

void Session::channelInfo() {
  asio::ChannelInfo info{};
  std::memset(info.name, 'z', sizeof info.name);
  info.channel = in_.flag() ? static_cast<std::int32_t>(in_.range(0, 8)) : in_.interestingInt();
  info.isInput = in_.pick<asio::Bool>({asio::kFalse, asio::kTrue, 2, -1});
  if (checked("getChannelInfo", core_->getChannelInfo(in_.oneIn(10) ? nullptr : &info)) != asio::err::kOk) return;
  require(std::memchr(info.name, 0, sizeof info.name) != nullptr, "getChannelInfo: name without NUL");
  require(bytesPerSample(info.type) > 0, "getChannelInfo: a type the driver cannot convert");
  bool withBuffers = false;
  for (const asio::BufferInfo& b : buffers_) withBuffers |= b.isInput == info.isInput && b.channelNum == info.channel;
  require((info.isActive == asio::kTrue) == withBuffers,
          "getChannelInfo: channel " + std::to_string(info.channel) + " isActive " + std::to_string(info.isActive));
}

void Session::future() {
  const std::int32_t selector = in_.flag() ? in_.interestingInt()
                                           : in_.pick<std::int32_t>({asio::fut::kCanTimeInfo, asio::fut::kCanReportOverload,
                                                                     asio::fut::kGetInternalBufferSamples,
                                                                     vendor::kGetStreamStatus, vendor::kGetLatencyParts,
                                                                     asio::fut::kCanTimeCode,
                                                                     asio::fut::kSetInputMonitor, asio::fut::kTransport,
                                                                     asio::fut::kGetIoFormat, asio::fut::kOptionalOne, 0});
  // A host passes the type the selector names; the largest (the status line) fits all.
  Guarded<vendor::kStreamStatusBytes> opt;
  std::memset(opt.bytes.data(), 0, vendor::kStreamStatusBytes);
  if (selector == vendor::kGetLatencyParts) {
    // The host's layout size: right, or (sometimes) any number.
    const std::int32_t bytes =
        in_.oneIn(4) ? in_.interestingInt() : static_cast<std::int32_t>(sizeof(vendor::LatencyParts));
    std::memcpy(opt.bytes.data(), &bytes, sizeof bytes);
  }
  const bool null = in_.oneIn(6);
  const asio::Error e = checked("future", core_->future(selector, null ? nullptr : opt.text()));
  if (null || e != asio::err::kSuccess) return;
  if (selector == vendor::kGetStreamStatus) {
    opt.check("future(kGetStreamStatus)");
  } else if (selector == asio::fut::kGetInternalBufferSamples) {
    asio::InternalBufferSamples samples{};
    std::memcpy(&samples, opt.bytes.data(), sizeof samples);
    require(samples.inputSamples >= 0 && samples.outputSamples >= 0, "kGetInternalBufferSamples: negative");
  } else if (selector == vendor::kGetLatencyParts) {
    vendor::LatencyParts parts{};
    std::memcpy(&parts, opt.bytes.data(), sizeof parts);
    std::int32_t in = 0, out = 0;
    require(checked("getLatencies", core_->getLatencies(&in, &out)) == asio::err::kOk, "kGetLatencyParts without latencies");
    require(parts.input.total == in && parts.output.total == out, "kGetLatencyParts: totals differ from getLatencies");
    for (const vendor::LatencyParts::Side& side : {parts.input, parts.output}) {
      require(side.total == side.buffer + side.fifo + side.queue + side.os, "kGetLatencyParts: parts do not add up");
      require(side.buffer > 0 && side.fifo >= 0 && side.queue >= 0 && side.os >= 0, "kGetLatencyParts: a negative part");
    }
  }
  for (std::size_t i = vendor::kStreamStatusBytes; i < opt.bytes.size(); ++i) {
    require(opt.bytes[i] == kGuard, "future wrote past the host's buffer");
  }
}

// Capture beyond the fake's own schedule: bursts of silence, or packets of
// any size, flags and timestamps.
void Session::capture() {
  if (in_.flag()) {
    const int count = 1 + in_.below(8);
    inPeriod_ = true;
    fake_->injectCapturePackets(count);
    inPeriod_ = false;
    if (fake_->isStarted()) gCounts.packets += static_cast<std::uint64_t>(count);
    return;
  }
  CapturePacket p;
  p.frames = in_.pick<std::int32_t>({480, 256, 1, 0, -1, 2048, 4096, 441, static_cast<std::int32_t>(in_.range(0, 4096))});
  p.silent = in_.oneIn(4);
  p.discontinuity = in_.oneIn(3);
  const std::uint64_t now = fake_->isStarted() ? fake_->clockNs() : 0;
  switch (in_.below(5)) {
    case 0: p.deviceTimeNs = 0; break;
    case 1: p.deviceTimeNs = now; break;
    case 2: p.deviceTimeNs = now + static_cast<std::uint64_t>(in_.range(0, 1'000'000'000)); break;
    case 3: p.deviceTimeNs = now - std::min<std::uint64_t>(now, static_cast<std::uint64_t>(in_.range(0, 1'000'000'000))); break;
    default: p.deviceTimeNs = in_.u64(); break;
  }
  const int channels = device_.config.captureStreamChannels > 0 ? device_.config.captureStreamChannels
                                                                : device_.config.inputChannels;
  const std::size_t bytes = static_cast<std::size_t>(std::max(p.frames, 0)) * static_cast<std::size_t>(channels) *
                            static_cast<std::size_t>(bytesPerSample(device_.config.captureFormat));
  packet_.resize(bytes + 1);
  for (std::byte& b : packet_) b = static_cast<std::byte>(nextRandom());
  if (!p.silent || in_.flag()) p.data = packet_.data();
  inPeriod_ = true;
  if (fake_->deliverCapturePacket(p)) ++gCounts.packets;
  inPeriod_ = false;
}

void Session::backendFaults() {
  auto fault = [&]() -> std::optional<Status> {
    if (in_.flag()) return std::nullopt;
    const asio::Error code = in_.pick({asio::err::kHardwareMalfunction, asio::err::kNotPresent,
                                       asio::err::kInvalidParameter, asio::err::kNoMemory, asio::err::kInvalidMode});
    return Status::failure(code, in_.pick<std::string>({"", "fake: the device is in use by another application",
                                                        std::string(300, 'm'), "fake: \xc3\xa9" + std::string(130, '\xe2')}));
  };
  switch (in_.below(3)) {
    case 0: fake_->failOpen(fault()); break;
    case 1: fake_->failPrepare(fault()); break;
    default: fake_->failStart(fault()); break;
  }
}

// Live reload and the panel, from the host's thread here (the watcher's
// thread in the DLL: the TSan tests cover that).
void Session::settingsChange() {
  ++gCounts.settingsApplied;
  switch (in_.below(3)) {
    case 0: core_->applySettings(randomSettings(in_), "fuzz: settings file changed"); break;
    case 1: core_->requestReset(in_.pick<std::string>({"fuzz", "", std::string(500, 'r')})); break;
    default:
      core_->setConfigError(in_.flag() ? Status::success()
                                       : Status::failure(asio::err::kInvalidParameter,
                                                         in_.pick<std::string>({"fuzz.toml:3: mode = \"turbo\": expected ...", ""})));
      break;
  }
}

// A device event, from the backend's notifier (here: between calls). The
// driver may stop its stream for it, never go the other way.
void Session::deviceEvent() {
  const DriverState before = model_;
  const DeviceEvent event = in_.pick({DeviceEvent::Lost, DeviceEvent::DefaultChanged, DeviceEvent::FormatChanged,
                                      DeviceEvent::Stalled});
  if (fake_->emitDeviceEvent(event)) ++gCounts.deviceEvents;
  const DriverState now = core_->state();
  if (now != model_) {
    require(model_ == DriverState::Running && now == DriverState::Prepared && before == DriverState::Running,
            std::string("a device event took the driver from ") + stateName(model_) + " to " + stateName(now));
    model_ = now;
  }
}

// ------------------------------------------------------------ the callbacks

void Session::playAndRecord(std::int32_t index) {
  const auto sampleBytes = static_cast<std::size_t>(bytesPerSample(hostType_));
  const std::size_t bytes = sampleBytes * static_cast<std::size_t>(bufferFrames_);
  for (const asio::BufferInfo& b : buffers_) {
    auto* half = static_cast<unsigned char*>(b.buffers[index]);
    if (b.isInput == asio::kTrue) {
      unsigned sum = 0;
      for (std::size_t i = 0; i < bytes; ++i) sum += half[i];
      sink_ = sink_ + sum;
      continue;
    }
    // Whatever a host might write: noise bits (NaNs and infinities among
    // them for float types), full-scale edges, or silence.
    const std::uint32_t mode = nextRandom() % 3;
    if (mode == 0) {
      for (std::size_t i = 0; i < bytes; ++i) half[i] = static_cast<unsigned char>(nextRandom());
    } else if (mode == 1) {
      // Little-endian words: NaN, +inf, -FLT_MAX, -0.0, the smallest
      // denormal, INT32_MAX; as float64 they pair up into other extremes.
      static const std::uint8_t edges[] = {0x00, 0x00, 0xc0, 0x7f, 0x00, 0x00, 0x80, 0x7f, 0xff, 0xff, 0x7f, 0xff,
                                           0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x7f};
      const std::size_t offset = (nextRandom() % 6) * 4;
      for (std::size_t i = 0; i < bytes; ++i) half[i] = edges[(offset + i) % sizeof edges];
    } else {
      std::memset(half, 0, bytes);
    }
  }
}

void Session::onBufferSwitch(int slot, std::int32_t index, const asio::Time* time, bool viaTimeInfo) {
  ++gCounts.bufferSwitches;
  ++switches_;
  if (slot != slot_) broken("bufferSwitch through callbacks of other buffers (slot " + std::to_string(slot) + ")");
  if (!inPeriod_) broken("bufferSwitch outside the backend's period");
  if (model_ != DriverState::Running) broken(std::string("bufferSwitch while the driver is ") + stateName(model_));
  if (viaTimeInfo != expectTimeInfo_) {
    broken(std::string(viaTimeInfo ? "bufferSwitchTimeInfo" : "bufferSwitch") + " called; the host asked for the other");
  }
  if (index != expectedIndex_) {
    broken("bufferSwitch index " + std::to_string(index) + ", expected " + std::to_string(expectedIndex_));
  }
  expectedIndex_ ^= 1;
  if (viaTimeInfo) {
    const asio::TimeInfo& t = time->timeInfo;
    constexpr std::uint32_t kValid = asio::timeinfo::kSystemTimeValid | asio::timeinfo::kSamplePositionValid |
                                     asio::timeinfo::kSampleRateValid | asio::timeinfo::kSpeedValid;
    require((t.flags & kValid) == kValid, "time info flags " + std::to_string(t.flags));
    require(t.speed == 1.0 && std::isfinite(t.sampleRate) && t.sampleRate > 0, "time info speed or rate");
    const std::uint64_t position = asio::fromSplit64(t.samplePosition);
    if (lastPosition_) {
      require(position > *lastPosition_, "sample position went from " + std::to_string(*lastPosition_) + " to " +
                                             std::to_string(position));
    } else {
      require(position == 0, "the first buffer after start is at position " + std::to_string(position));
    }
    lastPosition_ = position;
  }
  if (host_.armed) playAndRecord(index);
  if (host_.reentry & reentry::kSamplePosition) {
    asio::Samples position{};
    asio::TimeStamp stamp{};
    require(checked("getSamplePosition", core_->getSamplePosition(&position, &stamp)) == asio::err::kOk,
            "getSamplePosition inside bufferSwitch failed");
    if (lastPosition_) require(asio::fromSplit64(position) == *lastPosition_, "getSamplePosition inside bufferSwitch");
  }
  if (host_.reentry & reentry::kOutputReady) {
    require(checked("outputReady", core_->outputReady()) == asio::err::kOk, "outputReady inside bufferSwitch failed");
  }
  if (host_.reentry & reentry::kLatencies) {
    std::int32_t in = 0, out = 0;
    require(checked("getLatencies", core_->getLatencies(&in, &out)) == asio::err::kOk, "getLatencies inside bufferSwitch");
  }
  if (host_.reentry & reentry::kInternalBuffers) {
    asio::InternalBufferSamples samples{};
    require(checked("future", core_->future(asio::fut::kGetInternalBufferSamples, &samples)) == asio::err::kSuccess,
            "kGetInternalBufferSamples inside bufferSwitch");
  }
}

std::int32_t Session::onMessage(int slot, std::int32_t selector, std::int32_t value) {
  const int current = connectingSlot_ >= 0 ? connectingSlot_ : slot_;
  if (slot != current) broken("asioMessage through callbacks of other buffers (selector " + std::to_string(selector) + ")");
  if (selector == asio::msg::kSelectorSupported) {
    if (connectingSlot_ < 0) broken("kSelectorSupported outside createBuffers");
    const bool yes = value >= 0 && value < 32 && ((host_.supportedMask >> value) & 1u) != 0;
    if (yes) answering_ |= 1u << value;
    return yes ? 1 : 0;
  }
  const std::uint32_t answered = connectingSlot_ >= 0 ? answering_ : answeredYes_;
  if (selector < 0 || selector >= 32 || ((answered >> selector) & 1u) == 0) {
    broken("the driver sent selector " + std::to_string(selector) + ", which the host did not say it understands");
  }
  if (connectingSlot_ < 0 && !hasBuffers(model_)) {
    broken("asioMessage " + std::to_string(selector) + " while the driver has no buffers");
  }
  switch (selector) {
    case asio::msg::kSupportsTimeInfo: return host_.timeInfoAnswer;
    case asio::msg::kEngineVersion: return host_.engineVersion;
    case asio::msg::kResetRequest:
      if (inPeriod_) broken("kResetRequest sent from inside a period (the host may act on it at once)");
      if (host_.resetInline && inlineDepth_ == 0) {
        ++gCounts.inlineResets;
        ++inlineDepth_;
        stop();
        disposeBuffers();
        --inlineDepth_;
      }
      return 1;
    case asio::msg::kLatenciesChanged:
      if (host_.reentry & reentry::kLatencies) {
        std::int32_t in = 0, out = 0;
        require(checked("getLatencies", core_->getLatencies(&in, &out)) == asio::err::kOk,
                "getLatencies after kLatenciesChanged failed");
      }
      return 1;
    default: return 1;  // kResyncRequest, kOverload, kBufferSizeChange: noted
  }
}

void Session::onSampleRateChanged(int slot, double rate) {
  if (slot != slot_) broken("sampleRateDidChange through callbacks of other buffers");
  if (!std::isfinite(rate) || rate <= 0) broken("sampleRateDidChange(" + std::to_string(rate) + ")");
}

template <int Slot>
void Trampolines<Slot>::bufferSwitch(std::int32_t index, asio::Bool direct) {
  if (gSession == nullptr) broken("bufferSwitch after the host left");
  if (direct != asio::kTrue && direct != asio::kFalse) broken("bufferSwitch directProcess " + std::to_string(direct));
  gSession->onBufferSwitch(Slot, index, nullptr, false);
}
template <int Slot>
asio::Time* Trampolines<Slot>::bufferSwitchTimeInfo(asio::Time* time, std::int32_t index, asio::Bool direct) {
  if (gSession == nullptr) broken("bufferSwitchTimeInfo after the host left");
  if (time == nullptr) broken("bufferSwitchTimeInfo without time info");
  if (direct != asio::kTrue && direct != asio::kFalse) broken("bufferSwitchTimeInfo directProcess " + std::to_string(direct));
  gSession->onBufferSwitch(Slot, index, time, true);
  return nullptr;
}
template <int Slot>
void Trampolines<Slot>::sampleRateDidChange(asio::SampleRate rate) {
  if (gSession == nullptr) broken("sampleRateDidChange after the host left");
  gSession->onSampleRateChanged(Slot, rate);
}
template <int Slot>
std::int32_t Trampolines<Slot>::asioMessage(std::int32_t selector, std::int32_t value, void*, double*) {
  if (gSession == nullptr) broken("asioMessage after the host left");
  return gSession->onMessage(Slot, selector, value);
}

}  // namespace

const CoreFuzzCounts& coreFuzzCounts() { return gCounts; }

void runCoreInput(const std::uint8_t* data, std::size_t size) {
  ++gCounts.inputs;
  Session session(data, size);
  session.run();
}

}  // namespace a2w::fuzz
