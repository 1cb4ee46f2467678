// Tests for the small string functions.
#include "util/strings.h"

#include <gtest/gtest.h>
#include <cstdlib>

namespace mfaenv {
namespace {

TEST(Strings, TrimSplitLower) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(to_lower("AbC"), "abc");
  EXPECT_TRUE(iequals("GetSessionToken", "getsessiontoken"));
  EXPECT_FALSE(iequals("a", "ab"));
}

TEST(Strings, ParseIntIsStrict) {
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int("-7"), -7);
  EXPECT_FALSE(parse_int("4 2"));
  EXPECT_FALSE(parse_int("42x"));
  EXPECT_FALSE(parse_int(""));
  EXPECT_FALSE(parse_int("99999999999999999999"));
}

TEST(Strings, ExpandUser) {
  setenv("HOME", "/home/alice", 1);
  EXPECT_EQ(expand_user("~/.aws/config"), "/home/alice/.aws/config");
  EXPECT_EQ(expand_user("~"), "/home/alice");
  EXPECT_EQ(expand_user("~bob/x"), "~bob/x");
  EXPECT_EQ(expand_user("/etc/x"), "/etc/x");
}

}  // namespace
}  // namespace mfaenv
