// A tiny streaming JSON writer for asiohost's reports: objects, arrays,
// strings (UTF-8 passed through, control characters escaped), integers,
// doubles (shortest round-trip form; NaN and infinities become null) and
// booleans. Pretty-printed with two-space indentation. Portable and
// dependency-free so the native unit tests cover it.
//
// Misuse (a value where a key is due, unbalanced ends) is a programming
// error; it is caught by assert in debug builds, not reported at run time.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace a2w::host {

class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(bool b);
  JsonWriter& value(double d);
  JsonWriter& value(float f) { return value(static_cast<double>(f)); }
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  JsonWriter& value(T v) {
    if constexpr (std::is_signed_v<T>) {
      return integer(static_cast<std::int64_t>(v));
    } else {
      return unsignedInteger(static_cast<std::uint64_t>(v));
    }
  }
  JsonWriter& null();

  // key(name).value(v) in one call.
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  // The document so far; complete once every begin has its end.
  const std::string& text() const { return out_; }

  // `text` as a JSON string literal, quotes included.
  static std::string quote(std::string_view text);

 private:
  JsonWriter& integer(std::int64_t v);
  JsonWriter& unsignedInteger(std::uint64_t v);
  void beforeValue();
  void newline();

  struct Level {
    bool isObject;
    bool empty;
  };
  std::string out_;
  std::vector<Level> levels_;
  bool keyPending_ = false;  // a key was written, its value is due
};

}  // namespace a2w::host
