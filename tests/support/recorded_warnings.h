// For tests: records what library code sends to util/warnings.h while the object lives.
#pragma once

#include <string>
#include <vector>

#include "util/warnings.h"

namespace mfaenv::testing_support {

class RecordedWarnings : public WarningSink {
 public:
  RecordedWarnings() : previous_(set_warning_sink(this)) {}
  ~RecordedWarnings() override { set_warning_sink(previous_); }
  RecordedWarnings(const RecordedWarnings&) = delete;
  RecordedWarnings& operator=(const RecordedWarnings&) = delete;

  void notice(NoticeLevel level, std::string_view message) override {
    lines.push_back(std::string(level == NoticeLevel::kWarning ? "warning: " : "") + std::string(message));
  }
  // Everything recorded, one message a line.
  std::string text() const {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
  }

  std::vector<std::string> lines;

 private:
  WarningSink* previous_;
};

}  // namespace mfaenv::testing_support
