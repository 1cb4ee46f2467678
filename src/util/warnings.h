// Where library code sends what people should read on stderr (warnings, notes about a refresh):
// never to the terminal itself. src/cli installs the sink that prints; without one (unit tests,
// fuzzers) messages go nowhere, and tests install a sink that records them.
#pragma once

#include <string_view>

namespace mfaenv {

enum class NoticeLevel {
  kWarning,  // "mfaenv: warning: ..." : something is probably wrong and the user should fix it
  kNote,     // "mfaenv: ..."          : what mfaenv did, e.g. serving an older session
};

class WarningSink {
 public:
  virtual ~WarningSink() = default;
  virtual void notice(NoticeLevel level, std::string_view message) = 0;
};

// Installs `sink` (not owned; nullptr: drop messages) and returns the previous one.
WarningSink* set_warning_sink(WarningSink* sink);

void warn(std::string_view message);
void note(std::string_view message);

}  // namespace mfaenv
