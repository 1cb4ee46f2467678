// How far apart two words are, for "did you mean" hints (misspelt commands, flags, config keys).
#pragma once

#include <cstddef>
#include <string_view>

namespace mfaenv {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours
// ("lgoin" is one step from "login"), the typos people make.
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace mfaenv
