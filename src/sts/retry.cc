// The STS retry rules. The MFA rule is the one that matters: AWS accepts a code once, so a request
// whose fate is unknown must not be sent again; the user waits for the next code instead.
#include "sts/retry.h"

#include <algorithm>

#include <fmt/format.h>

namespace mfaenv {

RetryDecision decide_retry(const RetryPolicy& policy, FailureClass failure, SendStage stage,
                           RequestReplay replay, int attempt, Milliseconds elapsed) {
  RetryDecision d;
  if (failure == FailureClass::kFinal) return d;
  if (attempt > 1) d.outcome.tried = fmt::format(" after {} attempts", attempt);
  if (replay != RequestReplay::kSafe &&
      !(failure == FailureClass::kNetwork && stage == SendStage::kNotSent)) {
    d.outcome.mfa_not_resent = true;
    return d;
  }
  if (attempt >= policy.max_attempts) return d;
  if (elapsed >= policy.budget) {
    d.outcome.tried = fmt::format(" after {} attempt{} in {} s", attempt, attempt == 1 ? "" : "s",
                                  std::chrono::duration_cast<std::chrono::seconds>(elapsed).count());
    return d;
  }
  d.retry = true;
  return d;
}

Milliseconds backoff_delay(const RetryPolicy& policy, int attempt, double random01) {
  long long d = policy.base_delay.count();
  for (int i = 1; i < attempt && d < policy.max_delay.count(); ++i) d *= 2;
  d = std::min<long long>(d, policy.max_delay.count());
  random01 = std::clamp(random01, 0.0, 1.0);
  return Milliseconds(d / 2 + static_cast<long long>(static_cast<double>(d - d / 2) * random01));
}

}  // namespace mfaenv
