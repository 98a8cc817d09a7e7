#pragma once
// Why a path could not be opened for editing in place, in words for a dialog: who holds a busy
// device (the active thin pool's dm name from device-mapper, a device-mapper device stacked on
// it, a mount) and the exact commands that free it; a permission problem (and whether the
// privileged helper can help); a read-only file. The pool comes from core/devmapper (the same
// lookup and deactivate command as `dmscope-cli edit`'s refusal).

#include "core/Error.h"
#include "core/devmapper/DmDevice.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace dms {

class DeviceMapper;

struct EditOpenProblem {
    enum class Kind { Busy, Permission, ReadOnlyFile, Other };
    Kind kind = Kind::Other;
    QString path;
    QString title;             // one line: "/dev/mapper/vg-pool_tmeta is in use"
    QString explanation;       // what holds it / what is missing, in sentences
    QString holder;            // "the active thin pool vg-pool-tpool", "" when unknown
    QStringList commands;      // run in this order to free the device
    bool canUseHelper = false; // a block device root may open: "As Administrator" may help
    bool canEditCopy = true;   // the source can still be read for a copy
};

// Where to look; the defaults are the running system's.
struct EditOpenContext {
    std::optional<DevNo> device; // the path's device number; default: stat(path)
    DeviceMapper* dm = nullptr;  // default: libdevmapper when root, else not asked
    QString sysRoot = QStringLiteral("/sys");
    QString mountInfo = QStringLiteral("/proc/self/mountinfo");
    bool root = false; // default: geteuid() == 0 (set by explainEditOpenFailure)
};

// `error` is what EditSession::editInPlace returned for `path`.
EditOpenProblem explainEditOpenFailure(const QString& path, const Error& error,
                                       EditOpenContext context = {});

// Title, explanation and commands as one text (for logs and tests).
QString describeEditOpenProblem(const EditOpenProblem& problem);

} // namespace dms
