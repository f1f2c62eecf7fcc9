// test_main.cpp — the doctest entry point shared by every test executable.
// Not a test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
