#include "models/edit/EditOpenProblem.h"

#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/LivePool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <unistd.h>

namespace dms {
namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Device-mapper devices stacked on the device (sysfs holders/), by dm name.
QStringList holdersOf(const QString& sysRoot, DevNo dev) {
    const QString dir = QStringLiteral("%1/dev/block/%2/holders").arg(sysRoot, qs(dev.text()));
    QStringList names;
    for (const QString& h : QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(dir + QLatin1Char('/') + h + QStringLiteral("/dm/name"));
        QString name = h;
        if (f.open(QIODevice::ReadOnly)) name = QString::fromUtf8(f.readAll()).trimmed();
        names << name;
    }
    return names;
}

// Mount points of the device (/proc/self/mountinfo: field 3 is major:minor, field 5 the point).
QStringList mountsOf(const QString& mountInfo, DevNo dev) {
    QFile f(mountInfo);
    QStringList points;
    if (!f.open(QIODevice::ReadOnly)) return points;
    const QString want = qs(dev.text());
    for (const QByteArray& line : f.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() > 4 && QString::fromLatin1(fields[2]) == want)
            points << QString::fromUtf8(fields[4]);
    }
    return points;
}

void explainBusy(EditOpenProblem& p, const EditOpenContext& c) {
    p.kind = EditOpenProblem::Kind::Busy;
    p.title = QObject::tr("%1 is in use").arg(p.path);
    if (!c.device) {
        // A file: FileBlockSource's edit lock is held by another session.
        p.holder = QObject::tr("another dmscope session");
        p.explanation = QObject::tr("Another dmscope session (a window or dmscope-cli edit) is "
                                    "editing it. Finish that session (Commit or Abort and close "
                                    "it), then try again, or edit a copy.");
        return;
    }
    std::unique_ptr<DeviceMapper> own;
    DeviceMapper* dm = c.dm;
    if (!dm && c.root) {
        own = makeSystemDeviceMapper();
        dm = own.get();
    }
    if (dm) {
        if (auto pool = activePoolForMetadata(*dm, *c.device); pool && *pool) {
            const ThinPoolInfo& info = **pool;
            p.holder = QObject::tr("the active thin pool %1").arg(qs(info.name));
            p.explanation =
                QObject::tr("It is the metadata device of the active thin pool %1%2: "
                            "the kernel owns it while the pool is active, and writing it under "
                            "the kernel would corrupt the pool. Deactivate the pool (stop what "
                            "uses its thin volumes first), then try again.")
                    .arg(qs(info.name), info.lvmName().empty()
                                            ? QString()
                                            : QObject::tr(" (LVM %1)").arg(qs(info.lvmName())));
            if (!info.lvmName().empty())
                for (const ThinVolumeInfo& t : info.thins) {
                    std::string vg, lv;
                    if (splitLvmDmName(t.name, vg, lv))
                        p.commands << QStringLiteral("lvchange -an %1/%2").arg(qs(vg), qs(lv));
                }
            p.commands << qs(info.deactivateCommand());
            return;
        }
    }
    const QStringList holders = holdersOf(c.sysRoot, *c.device);
    const QStringList mounts = mountsOf(c.mountInfo, *c.device);
    QStringList why;
    if (!holders.isEmpty()) {
        p.holder = QObject::tr("device-mapper device %1").arg(holders.join(QStringLiteral(", ")));
        why << QObject::tr("Device-mapper device(s) %1 are stacked on it.")
                   .arg(holders.join(QStringLiteral(", ")));
        p.commands << QStringLiteral("dmsetup remove %1").arg(holders.join(QLatin1Char(' ')));
    }
    if (!mounts.isEmpty()) {
        if (p.holder.isEmpty()) p.holder = QObject::tr("the mount at %1").arg(mounts.first());
        why << QObject::tr("It is mounted at %1.").arg(mounts.join(QStringLiteral(", ")));
        for (const QString& m : mounts)
            p.commands << QStringLiteral("umount %1").arg(m);
    }
    if (why.isEmpty())
        why << (dm ? QObject::tr("Another program holds it open exclusively (no active pool or "
                                 "device-mapper device uses it).")
                   : QObject::tr("Another program holds it open exclusively. Device-mapper "
                                 "could not be asked which pool (it needs root): \"As "
                                 "Administrator\" finds out."));
    p.explanation = why.join(QLatin1Char(' '));
    p.canUseHelper = !dm;
}

} // namespace

EditOpenProblem explainEditOpenFailure(const QString& path, const Error& error,
                                       EditOpenContext context) {
    EditOpenProblem p;
    p.path = path;
    if (!context.device) context.device = blockDeviceNumber(path.toStdString());
    context.root = context.root || ::geteuid() == 0;
    const bool device = context.device.has_value();
    switch (error.kind) {
    case ErrorKind::Busy:
        explainBusy(p, context);
        break;
    case ErrorKind::Permission:
    case ErrorKind::Io:
        if (error.kind == ErrorKind::Io &&
            error.message.find("Read-only file system") == std::string::npos) {
            p.title = QObject::tr("Cannot open %1 for editing").arg(path);
            p.explanation = qs(error.describe());
            p.canEditCopy = QFileInfo(path).isReadable();
            break;
        }
        p.kind = !device && (error.message.find("read-only") != std::string::npos ||
                             error.message.find("Read-only") != std::string::npos)
                     ? EditOpenProblem::Kind::ReadOnlyFile
                     : EditOpenProblem::Kind::Permission;
        if (p.kind == EditOpenProblem::Kind::ReadOnlyFile) {
            p.title = QObject::tr("%1 is read-only").arg(path);
            p.explanation = qs(error.message);
            if (error.kind == ErrorKind::Permission)
                p.commands << QStringLiteral("chmod u+w %1").arg(path);
        } else {
            p.title = QObject::tr("No permission to write %1").arg(path);
            p.explanation =
                device
                    ? QObject::tr("Editing a device needs root. \"As "
                                  "Administrator\" opens it through "
                                  "dmscope-helper (pkexec) and edits it here.")
                    : QObject::tr("This user may not write the file (%1).").arg(qs(error.message));
            p.canUseHelper = device && !context.root;
            p.canEditCopy = QFileInfo(path).isReadable();
        }
        break;
    default:
        p.title = QObject::tr("Cannot open %1 for editing").arg(path);
        p.explanation = qs(error.describe());
        p.canEditCopy = error.kind != ErrorKind::Io || QFileInfo(path).isReadable();
        break;
    }
    return p;
}

QString describeEditOpenProblem(const EditOpenProblem& p) {
    QString text = p.title + QLatin1Char('\n') + p.explanation;
    for (const QString& c : p.commands)
        text += QStringLiteral("\n  ") + c;
    return text;
}

} // namespace dms
