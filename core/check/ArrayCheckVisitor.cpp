#include "core/check/ArrayCheckVisitor.h"

namespace dms {

Finding findingFromError(const Error& e, Severity severity, FindingCategory category) {
    Finding f;
    f.severity = severity;
    f.category = category;
    f.block = e.block;
    f.field = e.field;
    f.path = e.path;
    f.message = e.message;
    return f;
}

} // namespace dms
