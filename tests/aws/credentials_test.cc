// wipe() overwrites a secret's bytes where they were, not only the string's length.
#include "aws/credentials.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

TEST(Credentials, WipeZeroesTheBufferThatHeldTheSecret) {
  std::string secret(64, 'S');  // long enough to live on the heap, not in the string object
  const char* bytes = secret.data();
  const size_t capacity = secret.capacity();
  wipe(secret);
  EXPECT_TRUE(secret.empty());
  ASSERT_EQ(secret.data(), bytes);  // clear() keeps the buffer, so it is still ours to read
  ASSERT_EQ(secret.capacity(), capacity);
  EXPECT_EQ(std::string(bytes, 64), std::string(64, '\0'));
}

}  // namespace
}  // namespace mfaenv
