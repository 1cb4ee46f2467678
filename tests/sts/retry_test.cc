// The retry rules: what is retried, how often, how long the waits are, and the MFA rule.
#include "sts/retry.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

const RetryPolicy kPolicy;
constexpr Milliseconds kEarly{50};

TEST(StsRetry, TransientFailuresAreRetriedUpToThreeAttempts) {
  for (FailureClass f : {FailureClass::kThrottled, FailureClass::kServerError, FailureClass::kMalformedResponse,
                         FailureClass::kNetwork}) {
    EXPECT_TRUE(decide_retry(kPolicy, f, SendStage::kMaybeSent, RequestReplay::kSafe, 1, kEarly).retry);
    EXPECT_TRUE(decide_retry(kPolicy, f, SendStage::kMaybeSent, RequestReplay::kSafe, 2, kEarly).retry);
    RetryDecision last = decide_retry(kPolicy, f, SendStage::kMaybeSent, RequestReplay::kSafe, 3, kEarly);
    EXPECT_FALSE(last.retry);
    EXPECT_EQ(last.outcome.tried, " after 3 attempts");
    EXPECT_FALSE(last.outcome.mfa_not_resent);
  }
}

TEST(StsRetry, FinalFailuresAreNeverRetried) {
  RetryDecision d = decide_retry(kPolicy, FailureClass::kFinal, SendStage::kNotSent, RequestReplay::kSafe, 1, kEarly);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.outcome.tried, "");
  EXPECT_FALSE(d.outcome.mfa_not_resent);
}

TEST(StsRetry, NoNewAttemptAfterTheTimeBudget) {
  RetryDecision d = decide_retry(kPolicy, FailureClass::kNetwork, SendStage::kMaybeSent, RequestReplay::kSafe, 1,
                                 Milliseconds(10000));
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.outcome.tried, " after 1 attempt in 10 s");
}

// AWS accepts a code once: a request whose fate is unknown is not sent again.
TEST(StsRetry, MfaRequestIsResentOnlyWhenItCertainlyNeverLeft) {
  EXPECT_TRUE(decide_retry(kPolicy, FailureClass::kNetwork, SendStage::kNotSent, RequestReplay::kCarriesMfaCode, 1,
                           kEarly)
                  .retry);
  EXPECT_FALSE(decide_retry(kPolicy, FailureClass::kNetwork, SendStage::kNotSent, RequestReplay::kCarriesMfaCode, 3,
                            kEarly)
                   .retry);
  for (FailureClass f : {FailureClass::kThrottled, FailureClass::kServerError, FailureClass::kMalformedResponse}) {
    RetryDecision d = decide_retry(kPolicy, f, SendStage::kMaybeSent, RequestReplay::kCarriesMfaCode, 1, kEarly);
    EXPECT_FALSE(d.retry);
    EXPECT_TRUE(d.outcome.mfa_not_resent);
    EXPECT_EQ(d.outcome.tried, "");
  }
  RetryDecision lost = decide_retry(kPolicy, FailureClass::kNetwork, SendStage::kMaybeSent,
                                    RequestReplay::kCarriesMfaCode, 2, kEarly);
  EXPECT_FALSE(lost.retry);
  EXPECT_TRUE(lost.outcome.mfa_not_resent);
  EXPECT_EQ(lost.outcome.tried, " after 2 attempts");
}

TEST(StsRetry, BackoffIsJitteredExponentialAndCapped) {
  EXPECT_EQ(backoff_delay(kPolicy, 1, 0.0), Milliseconds(100));
  EXPECT_EQ(backoff_delay(kPolicy, 1, 0.999999), Milliseconds(199));
  EXPECT_EQ(backoff_delay(kPolicy, 2, 0.0), Milliseconds(200));
  EXPECT_EQ(backoff_delay(kPolicy, 2, 0.5), Milliseconds(300));
  EXPECT_EQ(backoff_delay(kPolicy, 3, 0.0), Milliseconds(400));
  EXPECT_EQ(backoff_delay(kPolicy, 10, 1.0), Milliseconds(2000));
  EXPECT_EQ(backoff_delay(kPolicy, 60, 0.0), Milliseconds(1000));  // no overflow for silly attempt numbers
  EXPECT_EQ(backoff_delay(kPolicy, 1, -3.0), Milliseconds(100));   // clamped random
}

}  // namespace
}  // namespace mfaenv
