// asiohost's JSON writer: layout, escaping, numbers.
#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace {

using a2w::host::JsonWriter;

TEST(JsonWriter, NestedDocument) {
  JsonWriter w;
  w.beginObject()
      .field("driver", "Fake")
      .field("rate", 48000.0)
      .field("frames", std::int64_t{1024})
      .field("ok", true)
      .key("interval")
      .beginObject()
      .field("mean", 5333.5)
      .endObject()
      .key("errors")
      .beginArray()
      .value("a")
      .value(3)
      .endArray()
      .key("empty")
      .beginArray()
      .endArray()
      .endObject();
  EXPECT_EQ(w.text(),
            "{\n"
            "  \"driver\": \"Fake\",\n"
            "  \"rate\": 48000,\n"
            "  \"frames\": 1024,\n"
            "  \"ok\": true,\n"
            "  \"interval\": {\n"
            "    \"mean\": 5333.5\n"
            "  },\n"
            "  \"errors\": [\n"
            "    \"a\",\n"
            "    3\n"
            "  ],\n"
            "  \"empty\": []\n"
            "}\n");
}

TEST(JsonWriter, EscapesStrings) {
  EXPECT_EQ(JsonWriter::quote("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  EXPECT_EQ(JsonWriter::quote("Gr\xc3\xbc\xc3\x9f" "e"), "\"Gr\xc3\xbc\xc3\x9f" "e\"");  // UTF-8 as is
}

TEST(JsonWriter, NumbersAndNull) {
  JsonWriter w;
  w.beginArray()
      .value(std::numeric_limits<double>::quiet_NaN())
      .value(std::numeric_limits<double>::infinity())
      .value(0.1)
      .value(-5)
      .value(std::uint64_t{18446744073709551615ull})
      .value(false)
      .null()
      .endArray();
  EXPECT_EQ(w.text(), "[\n  null,\n  null,\n  0.1,\n  -5,\n  18446744073709551615,\n  false,\n  null\n]\n");
}

TEST(JsonWriter, EmptyObject) {
  JsonWriter w;
  w.beginObject().endObject();
  EXPECT_EQ(w.text(), "{}\n");
}

}  // namespace
