// CLI11 without <iostream>'s start-up cost. <iostream> puts a static std::ios_base::Init object in
// every translation unit that includes it, whose constructor builds the eight standard streams and
// the classic locale with all its facets: about 50,000 instructions at the start of every run,
// a tenth of a warm `mfaenv env`, which never uses a stream. CLI11 includes <iostream> (to print
// help on std::cout), so here, with libstdc++, the streams are declared as <iostream> declares
// them but without that object, and run.cc constructs a std::ios_base::Init itself before it
// builds the CLI11 app, as the standard allows ([ios.init]). Include CLI11 only through this file.
#pragma once

#if defined(__GLIBCXX__) || __has_include(<bits/c++config.h>)
#include <istream>
#include <ostream>
#ifndef _GLIBCXX_IOSTREAM
#define _GLIBCXX_IOSTREAM 1  // libstdc++'s include guard of <iostream>: the header becomes empty
namespace std {
extern istream cin;
extern ostream cout;
extern ostream cerr;
extern ostream clog;
extern wistream wcin;
extern wostream wcout;
extern wostream wcerr;
extern wostream wclog;
}  // namespace std
#endif
#endif

#include <CLI/CLI.hpp>
