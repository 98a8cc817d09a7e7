#include "models/SpaceMapTotals.h"

#include "core/thin/ThinMetadata.h"

namespace dms {

SpaceMapTotals SpaceMapTotals::count(const ThinMetadata& md, const SpaceMapRoot& root,
                                     SpaceMapKind kind) {
    SpaceMapTotals t;
    t.kind = kind;
    t.root = root;
    if (!t.stored()) return t;
    auto sm = SpaceMapReader::open(md.reader(), root, kind);
    if (!sm) {
        t.error = sm.error().describe();
        return t;
    }
    auto n = sm->countAllocated();
    if (n)
        t.allocated = *n;
    else
        t.error = n.error().describe();
    return t;
}

} // namespace dms
