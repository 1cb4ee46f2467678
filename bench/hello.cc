// The process floor for `make bench`: the cheapest C++ program, built with mfaenv's compiler and
// flags and linked the same way (dynamic libstdc++), so the ratios show mfaenv's own cost.
#include <iostream>

int main() {
  std::cout << "hello\n";
  return 0;
}
