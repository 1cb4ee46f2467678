// The process's warning sink: one pointer, set by src/cli's main.
#include "util/warnings.h"

namespace mfaenv {

namespace {
WarningSink* g_sink = nullptr;
}  // namespace

WarningSink* set_warning_sink(WarningSink* sink) {
  WarningSink* previous = g_sink;
  g_sink = sink;
  return previous;
}

void warn(std::string_view message) {
  if (g_sink != nullptr) g_sink->notice(NoticeLevel::kWarning, message);
}

void note(std::string_view message) {
  if (g_sink != nullptr) g_sink->notice(NoticeLevel::kNote, message);
}

}  // namespace mfaenv
