// The audio backend the DLL's driver objects run on.
#pragma once

#include <memory>

#include "core/audio_backend.h"

namespace a2w {

// A fresh WASAPI backend. Constructing it touches no device (init does).
std::unique_ptr<AudioBackend> makeDriverBackend();

}  // namespace a2w
