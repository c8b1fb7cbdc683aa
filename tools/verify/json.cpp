#include "verify/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace a2w::json {

const Value* Value::find(std::string_view key) const {
  if (!isObject()) return nullptr;
  for (const auto& [k, v] : asObject())
    if (k == key) return &v;
  return nullptr;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  std::optional<Value> document(std::string* error) {
    auto v = value();
    ws();
    if (v && p_ != t_.size()) fail("trailing characters");
    if (!err_.empty()) {
      if (error) *error = err_ + " at offset " + std::to_string(p_);
      return std::nullopt;
    }
    return v;
  }

 private:
  void fail(const char* what) {
    if (err_.empty()) err_ = what;
  }
  void ws() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\n' || t_[p_] == '\r')) ++p_;
  }
  bool eat(char c) {
    ws();
    if (p_ < t_.size() && t_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (t_.substr(p_, w.size()) == w) {
      p_ += w.size();
      return true;
    }
    return false;
  }

  std::optional<Value> value() {
    if (++depth_ > 64) {
      fail("nested too deeply");
      return std::nullopt;
    }
    ws();
    std::optional<Value> v;
    if (p_ >= t_.size()) {
      fail("unexpected end");
    } else if (t_[p_] == '{') {
      v = object();
    } else if (t_[p_] == '[') {
      v = array();
    } else if (t_[p_] == '"') {
      if (auto s = string()) v = Value(std::move(*s));
    } else if (word("true")) {
      v = Value(true);
    } else if (word("false")) {
      v = Value(false);
    } else if (word("null")) {
      v = Value();
    } else {
      v = number();
    }
    --depth_;
    return v;
  }

  std::optional<Value> object() {
    ++p_;
    Object o;
    if (eat('}')) return Value(std::move(o));
    do {
      ws();
      auto k = string();
      if (!k) return std::nullopt;
      if (!eat(':')) {
        fail("expected ':'");
        return std::nullopt;
      }
      auto v = value();
      if (!v) return std::nullopt;
      o.emplace_back(std::move(*k), std::move(*v));
    } while (eat(','));
    if (!eat('}')) {
      fail("expected '}'");
      return std::nullopt;
    }
    return Value(std::move(o));
  }

  std::optional<Value> array() {
    ++p_;
    Array a;
    if (eat(']')) return Value(std::move(a));
    do {
      auto v = value();
      if (!v) return std::nullopt;
      a.push_back(std::move(*v));
    } while (eat(','));
    if (!eat(']')) {
      fail("expected ']'");
      return std::nullopt;
    }
    return Value(std::move(a));
  }

  static void utf8(std::string& s, unsigned cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::optional<unsigned> hex4() {
    if (p_ + 4 > t_.size()) return std::nullopt;
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = t_[p_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> string() {
    if (p_ >= t_.size() || t_[p_] != '"') {
      fail("expected a string");
      return std::nullopt;
    }
    ++p_;
    std::string s;
    while (p_ < t_.size() && t_[p_] != '"') {
      char c = t_[p_++];
      if (c != '\\') {
        s += c;
        continue;
      }
      if (p_ >= t_.size()) break;
      c = t_[p_++];
      switch (c) {
        case '"': s += '"'; break;
        case '\\': s += '\\'; break;
        case '/': s += '/'; break;
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'n': s += '\n'; break;
        case 'r': s += '\r'; break;
        case 't': s += '\t'; break;
        case 'u': {
          auto cp = hex4();
          if (!cp) {
            fail("bad \\u escape");
            return std::nullopt;
          }
          unsigned code = *cp;
          if (code >= 0xD800 && code < 0xDC00 && word("\\u")) {
            auto lo = hex4();
            if (lo && *lo >= 0xDC00 && *lo < 0xE000) code = 0x10000 + ((code - 0xD800) << 10) + (*lo - 0xDC00);
          }
          utf8(s, code);
          break;
        }
        default:
          fail("bad escape");
          return std::nullopt;
      }
    }
    if (p_ >= t_.size()) {
      fail("unterminated string");
      return std::nullopt;
    }
    ++p_;
    return s;
  }

  std::optional<Value> number() {
    const std::size_t start = p_;
    while (p_ < t_.size() && (std::string_view("+-0123456789.eE").find(t_[p_]) != std::string_view::npos)) ++p_;
    if (p_ == start) {
      fail("unexpected character");
      return std::nullopt;
    }
    const std::string text(t_.substr(start, p_ - start));
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) {
      fail("bad number");
      return std::nullopt;
    }
    return Value(d);
  }

  std::string_view t_;
  std::size_t p_ = 0;
  int depth_ = 0;
  std::string err_;
};

void writeString(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void writeNumber(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[32];
  if (d == std::floor(d) && std::fabs(d) < 9.007199254740992e15) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
  } else {
    // Shortest text that reads back as the same double.
    for (int prec = 6; prec <= 17; ++prec) {
      std::snprintf(buf, sizeof buf, "%.*g", prec, d);
      if (std::strtod(buf, nullptr) == d) break;
    }
  }
  out += buf;
}

void writeValue(std::string& out, const Value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 1) * 2, ' ');
  const std::string closePad(static_cast<std::size_t>(indent) * 2, ' ');
  if (v.isNull()) {
    out += "null";
  } else if (v.isBool()) {
    out += v.asBool() ? "true" : "false";
  } else if (v.isNumber()) {
    writeNumber(out, v.asNumber());
  } else if (v.isString()) {
    writeString(out, v.asString());
  } else if (v.isArray()) {
    const auto& a = v.asArray();
    if (a.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < a.size(); ++i) {
      out += pad;
      writeValue(out, a[i], indent + 1);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    out += closePad + "]";
  } else {
    const auto& o = v.asObject();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    for (std::size_t i = 0; i < o.size(); ++i) {
      out += pad;
      writeString(out, o[i].first);
      out += ": ";
      writeValue(out, o[i].second, indent + 1);
      out += i + 1 < o.size() ? ",\n" : "\n";
    }
    out += closePad + "}";
  }
}

}  // namespace

std::optional<Value> parse(std::string_view text, std::string* error) { return Parser(text).document(error); }

std::string write(const Value& v) {
  std::string out;
  writeValue(out, v, 0);
  out += '\n';
  return out;
}

}  // namespace a2w::json
