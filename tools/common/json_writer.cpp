#include "common/json_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>

namespace a2w::host {

std::string JsonWriter::quote(std::string_view text) {
  std::string q;
  q.reserve(text.size() + 2);
  q += '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': q += "\\\""; break;
      case '\\': q += "\\\\"; break;
      case '\n': q += "\\n"; break;
      case '\r': q += "\\r"; break;
      case '\t': q += "\\t"; break;
      case '\b': q += "\\b"; break;
      case '\f': q += "\\f"; break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          q += "\\u00";
          q += kHex[c >> 4];
          q += kHex[c & 15];
        } else {
          q += ch;  // UTF-8 bytes are valid inside JSON strings as they are
        }
    }
  }
  q += '"';
  return q;
}

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(levels_.size() * 2, ' ');
}

void JsonWriter::beforeValue() {
  if (levels_.empty()) {
    assert(out_.empty() && "one top-level value per document");
    return;
  }
  Level& level = levels_.back();
  if (level.isObject) {
    assert(keyPending_ && "an object member needs a key first");
    keyPending_ = false;
    return;  // key() already wrote the separator and the indentation
  }
  if (!level.empty) out_ += ',';
  level.empty = false;
  newline();
}

JsonWriter& JsonWriter::key(std::string_view name) {
  assert(!levels_.empty() && levels_.back().isObject && !keyPending_);
  Level& level = levels_.back();
  if (!level.empty) out_ += ',';
  level.empty = false;
  newline();
  out_ += quote(name);
  out_ += ": ";
  keyPending_ = true;
  return *this;
}

JsonWriter& JsonWriter::beginObject() {
  beforeValue();
  out_ += '{';
  levels_.push_back({true, true});
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  beforeValue();
  out_ += '[';
  levels_.push_back({false, true});
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  assert(!levels_.empty() && levels_.back().isObject && !keyPending_);
  const bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) newline();
  out_ += '}';
  if (levels_.empty()) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  assert(!levels_.empty() && !levels_.back().isObject);
  const bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) newline();
  out_ += ']';
  if (levels_.empty()) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  beforeValue();
  out_ += quote(text);
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  beforeValue();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  if (!std::isfinite(d)) return null();  // JSON has no NaN or infinity
  beforeValue();
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, d);
  out_.append(buf, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t v) {
  beforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::unsignedInteger(std::uint64_t v) {
  beforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::null() {
  beforeValue();
  out_ += "null";
  return *this;
}

}  // namespace a2w::host
