// Named instances: the name rules, the ASIO names and the file names.
#include "core/instance_name.h"

#include <gtest/gtest.h>

namespace a2w::instances {
namespace {

TEST(InstanceName, GoodNames) {
  for (const char* name : {"Headphones", "HDMI", "Studio 2", "USB-C_Dock (A)", "a", "x.y", "1234567890123456789"}) {
    EXPECT_EQ(checkInstanceName(name), "") << name;
  }
}

TEST(InstanceName, EveryRefusal) {
  EXPECT_EQ(checkInstanceName(""), "an instance needs a name");
  EXPECT_EQ(checkInstanceName("12345678901234567890"),
            "\"1234567890123456789...\" is too long: at most 19 characters (ASIO names hold 31)");
  EXPECT_EQ(checkInstanceName("a/b"), "\"a/b\": use only letters, digits, spaces and - _ . ( )");
  EXPECT_EQ(checkInstanceName("Kopfh\xc3\xb6rer"), "\"Kopfh\xc3\xb6rer\": use only letters, digits, spaces and - _ . ( )");
  EXPECT_EQ(checkInstanceName(" HDMI"), "\" HDMI\" may not start or end with a space or a dot");
  EXPECT_EQ(checkInstanceName("HDMI."), "\"HDMI.\" may not start or end with a space or a dot");
  EXPECT_EQ(checkInstanceName("Default"), "\"Default\" is the default instance's name");
  EXPECT_EQ(checkInstanceName("universal"), "\"universal\" is the default instance's name");
  EXPECT_EQ(checkInstanceName("nul"), "\"nul\" is reserved by Windows");
  EXPECT_EQ(checkInstanceName("COM1"), "\"COM1\" is reserved by Windows");
  EXPECT_EQ(checkInstanceName("lpt9"), "\"lpt9\" is reserved by Windows");
  EXPECT_EQ(checkInstanceName("COM0"), "");
}

TEST(InstanceName, AsioNamesFit31Characters) {
  EXPECT_EQ(asioNameOf("default"), "ASIO2WASAPI Universal");
  EXPECT_EQ(asioNameOf("Headphones"), "ASIO2WASAPI Headphones");
  EXPECT_LE(asioNameOf("1234567890123456789").size(), 31u);
}

TEST(InstanceName, FileNames) {
  EXPECT_EQ(configFileNameOf("default"), "default.toml");
  EXPECT_EQ(configFileNameOf("DEFAULT"), "default.toml");
  EXPECT_EQ(configFileNameOf("Headphones"), "Headphones.toml");
}

TEST(InstanceName, SameNameIgnoresCase) {
  EXPECT_TRUE(sameName("hdmi", "HDMI"));
  EXPECT_FALSE(sameName("hdmi", "HDMI2"));
  EXPECT_TRUE(isDefaultInstance("Default"));
}

}  // namespace
}  // namespace a2w::instances
