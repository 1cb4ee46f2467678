// The position-tracking JSON reader: values, positions, and errors that point at the right place.
#include "policy/json_reader.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

TEST(JsonReader, ValuesAndPositions) {
  const auto doc = parse_json("{\n  \"a\": [1, -2.5e3, \"x\\u00e9\\n\"],\n\t\"b\": {\"c\": true, \"d\": null}\n}", "t.json");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ASSERT_EQ(doc->members.size(), 2u);
  const auto* a = doc->find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->key_pos.line, 2);
  EXPECT_EQ(a->key_pos.column, 3);
  ASSERT_EQ(a->value.items.size(), 3u);
  EXPECT_EQ(a->value.items[0].text, "1");
  EXPECT_EQ(a->value.items[1].text, "-2.5e3");
  EXPECT_EQ(a->value.items[1].pos.column, 12);
  EXPECT_EQ(a->value.items[2].text, "x\xC3\xA9\n");
  const auto* b = doc->find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->key_pos.line, 3);
  EXPECT_EQ(b->key_pos.column, 2);  // a tab is one column
  EXPECT_TRUE(b->value.find("c")->value.boolean);
  EXPECT_EQ(b->value.find("d")->value.type, JsonValue::Type::kNull);
}

TEST(JsonReader, ColumnsCountCharactersNotBytes) {
  const auto doc = parse_json("{\"\xC3\xA9\xC3\xA9\": 1, \"k\": 2}", "t.json");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->find("k")->key_pos.column, 11);
}

TEST(JsonReader, SurrogatePairsAndByteOrderMark) {
  const auto doc = parse_json("\xEF\xBB\xBF[\"\\ud83d\\ude00\"]", "t.json");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->items[0].text, "\xF0\x9F\x98\x80");
  EXPECT_EQ(doc->items[0].pos.column, 2);
}

struct BadJson {
  const char* text;
  const char* where;    // "line:col"
  const char* message;  // part of the message
};

class JsonErrors : public ::testing::TestWithParam<BadJson> {};

TEST_P(JsonErrors, NamePositionAndCause) {
  const auto& c = GetParam();
  const auto doc = parse_json(c.text, "p.json");
  ASSERT_FALSE(doc.ok()) << c.text;
  EXPECT_EQ(doc.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(doc.error().message.find(std::string("p.json:") + c.where + ": invalid JSON"), std::string::npos)
      << doc.error().message;
  EXPECT_NE(doc.error().message.find(c.message), std::string::npos) << doc.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonErrors,
    ::testing::Values(BadJson{"", "1:1", "empty"},
                      BadJson{"{\n  \"a\": 1,\n}", "3:1", "trailing comma"},
                      BadJson{"[1, 2,]", "1:7", "trailing comma"},
                      BadJson{"{\"a\" 1}", "1:6", "expected ':'"},
                      BadJson{"{\"a\": 1 \"b\": 2}", "1:9", "expected ','"},
                      BadJson{"{'a': 1}", "1:2", "double quotes"},
                      BadJson{"{\"a\": \"x}", "1:7", "not closed"},
                      BadJson{"{\"a\": 01}", "1:7", "leading zeros"},
                      BadJson{"{\"a\": tru}", "1:7", "expected a value"},
                      BadJson{"{\"a\": \"\\q\"}", "1:8", "invalid escape"},
                      BadJson{"{\"a\": \"\\ud800\"}", "1:8", "surrogate"},
                      BadJson{"{\"a\": 1} x", "1:10", "after the end"},
                      BadJson{"{\"a\": 1", "1:8", "not closed"},
                      BadJson{"{\"a\": 1, \"a\": 2}", "1:10", "duplicate key \"a\" (first at line 1, column 2)"},
                      BadJson{"// comment\n{}", "1:1", "expected a value"}));

TEST(JsonReader, DeepNestingIsAnErrorNotACrash) {
  const std::string deep(100000, '[');
  const auto doc = parse_json(deep, "deep.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("nested deeper"), std::string::npos);
}

}  // namespace
}  // namespace mfaenv
