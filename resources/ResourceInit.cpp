#include "resources/ResourceInit.h"

#include <QtCore/qglobal.h>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initDmscopeResources() {
    Q_INIT_RESOURCE(dmscope);
}

namespace dms {

void initResources() {
    static const bool done = (initDmscopeResources(), true);
    (void)done;
}

} // namespace dms
