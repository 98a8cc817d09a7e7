#pragma once
// Reads era_dump's XML back into an EraPoolSpec (so that a test can compute what an edit must
// change and print the expectation with EraPoolSpec::xml(true)). Only era_dump's own layout is
// understood: one element per line, every bit and every era-array entry listed.

#include "tests/cacheera/EraPoolGenerator.h"

#include <QByteArray>
#include <optional>

namespace dms::test {

std::optional<EraPoolSpec> parseEraDump(const QByteArray& xml);

} // namespace dms::test
