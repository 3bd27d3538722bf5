// tests/text/main_test.cpp: doctest main for the text engine suites.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
