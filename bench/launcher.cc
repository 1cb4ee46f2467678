// The floor for `mfaenv exec P -- CMD` in `make bench`: a C++ program (plain `c++ -O2`, shared
// libstdc++) that does nothing but execv its arguments, as the lightest wrapper would.
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  execv(argv[1], argv + 1);
  return 127;
}
