// When an STS call is tried again, and how long to wait first (docs/sts.md, "Retries"):
// throttling, 5xx, unusable answers and network failures only, at most 3 attempts, jittered
// exponential backoff, and never a resend of a request that carries an MFA code unless the
// failure certainly happened before the request left this machine.
#pragma once

#include <chrono>
#include <string>

#include "sts/error.h"

namespace mfaenv {

using Milliseconds = std::chrono::milliseconds;

struct RetryPolicy {
  int max_attempts = 3;               // in total, the first one included
  Milliseconds base_delay{200};       // the first wait is 100-200 ms, the second 200-400 ms, ...
  Milliseconds max_delay{2000};
  Milliseconds budget{10000};         // no new attempt once this long has passed since the first
};

// kCarriesMfaCode and kNotIdempotent (IAM's CreateAccessKey: a resend may make a second key) are
// resent only when the failure certainly happened before the request left this machine.
enum class RequestReplay { kSafe, kCarriesMfaCode, kNotIdempotent };
// Whether a network failure certainly happened before the request was sent (DNS, refused).
enum class SendStage { kNotSent, kMaybeSent };

struct RetryDecision {
  bool retry = false;
  RetryOutcome outcome;  // when not retrying: what the message says about the attempts
};

// After failed attempt number `attempt` (1-based) of class `failure`, `elapsed` after the first.
RetryDecision decide_retry(const RetryPolicy& policy, FailureClass failure, SendStage stage,
                           RequestReplay replay, int attempt, Milliseconds elapsed);

// The wait before attempt `attempt` + 1: "equal jitter", uniform in [d/2, d] with
// d = min(max_delay, base_delay * 2^(attempt-1)). `random01` is in [0, 1).
Milliseconds backoff_delay(const RetryPolicy& policy, int attempt, double random01);

}  // namespace mfaenv
