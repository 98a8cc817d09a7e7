// libFuzzer target: the metadata checker on a damaged 16-block pool. Besides "no crash, no
// hang, no sanitizer report", it checks that the optimistic parallel pass and the
// thin_check-order pass reach the same verdict, and that a failing verdict names something.

#include "FuzzImage.h"

#include "core/MemoryBlockSource.h"
#include "core/check/ThinChecker.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dms;
    const fuzz::FuzzImage img = fuzz::buildImage(data, size);
    auto source = std::make_shared<MemoryBlockSource>(img.bytes, false, "fuzz");
    CheckOptions options;
    options.ignoreNonFatal = img.ignoreNonFatal;
    options.threads = 2;
    const CheckReport fast = ThinChecker(source, options).run();
    options.exactOnly = true;
    const CheckReport exact = ThinChecker(source, options).run();
    if (fast.verdict() != exact.verdict()) {
        std::fprintf(stderr, "optimistic pass says %s, thin_check-order pass says %s\n",
                     verdictName(fast.verdict()), verdictName(exact.verdict()));
        for (const Finding& f : exact.findings())
            std::fprintf(stderr, "  exact: %s\n", f.describe().c_str());
        for (const Finding& f : fast.findings())
            std::fprintf(stderr, "  fast: %s\n", f.describe().c_str());
        std::abort();
    }
    if (fast.verdict() != CheckVerdict::Pass && fast.findings().empty()) std::abort();
    // The other scopes walk the same bytes with the damage-pass rules only.
    for (CheckScope scope : {CheckScope::SkipMappings, CheckScope::SuperblockOnly}) {
        CheckOptions o;
        o.scope = scope;
        ThinChecker(source, o).run();
    }
    CheckOptions snap;
    snap.metadataSnapshot = true;
    ThinChecker(source, snap).run();
    return 0;
}
