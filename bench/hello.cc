// The process floor for `make bench`: a C++ hello-world built as the C++ tools on a user's machine
// are, with plain `c++ -O2` and the shared libstdc++. No tool of mfaenv's kind can start for less
// than a C++ program does; mfaenv's warm path aims to cost less than this.
#include <iostream>

int main() {
  std::cout << "hello\n";
  return 0;
}
