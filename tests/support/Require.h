#pragma once
// Assertions for core values in QtTest slots: fail with the error's one-line description.

#include <QTest>
#include <string>

// Fail the test with the error's one-line description.
#define REQUIRE_OK(expr)                                                                           \
    do {                                                                                           \
        const auto& r_ = (expr);                                                                   \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().describe().c_str());                           \
    } while (0)

// Fail the test with the message when a check returned one.
#define REQUIRE_EMPTY(expr)                                                                        \
    do {                                                                                           \
        const std::string m_ = (expr);                                                             \
        QVERIFY2(m_.empty(), m_.c_str());                                                          \
    } while (0)
