#include "tests/interop/PoolCorruptor.h"

#include "tests/interop/CorruptionContext.h"

namespace dms::test {

CorruptionResult corruptImage(const std::string& imagePath, PoolRandom& rng) {
    static const CorruptionKind kinds[] = {
        corruptDataBitmapEntry, corruptDataBitmapEntry, corruptMetadataBitmapEntry,
        corruptMappingBlock,    corruptMappingTime,     corruptDeviceDetail,
        corruptSuperblockField, corruptRefCount,        corruptKeyOrder,
        corruptZeroBlock,       corruptFlipBit,         corruptNodeHeader,
        corruptChildPointer,    corruptChildPointer,    corruptSharedDeviceTree,
        corruptDetailsKey,      corruptIndexEntry,      corruptHeldRoot,
    };
    std::string error;
    auto context = CorruptionContext::open(imagePath, rng, error);
    if (!context) return {false, "", error};
    CorruptionResult last;
    for (int attempt = 0; attempt < 30; ++attempt) {
        last = kinds[rng.below(std::size(kinds))](*context);
        if (last.applied) return last;
    }
    return {false, last.kind, "no applicable corruption found (last: " + last.description + ")"};
}

} // namespace dms::test
