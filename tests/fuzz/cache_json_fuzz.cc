// Fuzz target: the session cache file format (session_from_json / session_to_json of
// src/cache/session.h). Checks: no crash (nlohmann-json exceptions included); whatever parses
// serialises, parses again to the same session and serialises to the same bytes; the expiry
// arithmetic of a parsed session stays within its times.
#include "cache/session.h"
#include "fuzz_check.h"
#include "session_equal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mfaenv;
  auto session = session_from_json(fuzz::as_text(data, size));
  if (!session.ok()) {
    FUZZ_CHECK(!session.error().message.empty(), "a cache parse error has no message");
    return 0;
  }
  const std::string json = session_to_json(*session);
  auto again = session_from_json(json);
  FUZZ_CHECK(again.ok(), "a serialised session does not parse");
  FUZZ_CHECK(fuzz::same_session(*session, *again), "a session changes through serialise and parse");
  FUZZ_CHECK(session_to_json(*again) == json, "serialising is not stable");

  for (const auto& max_age : {std::optional<Seconds>(), std::optional<Seconds>(Seconds(3600))}) {
    const SessionLimits limits{max_age, Seconds(15 * 60)};
    const TimePoint expiry = effective_expiry(*session, limits);
    FUZZ_CHECK(expiry <= *session->credentials.expiration, "effective expiry after the STS expiry");
    const Seconds margin = applied_margin(*session, limits);
    FUZZ_CHECK(margin >= Seconds(0) && margin <= limits.refresh_margin, "applied margin out of range");
    FUZZ_CHECK(refresh_due(*session, limits) <= expiry, "refresh due after the expiry");
    (void)is_usable(*session, limits, session->issued);
  }
  return 0;
}
