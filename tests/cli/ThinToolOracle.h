#pragma once
// Shared by the dump/ls/rmap suites: the thin fixture images as files, and running a
// thin-provisioning-tools program and dmscope-cli on the same image to compare their bytes.

#include "core/BlockType.h"
#include "tests/support/Fixtures.h"

#include <QFileInfo>
#include <QHash>
#include <QStandardPaths>
#include <QTest>

namespace dms::test {

// Every thin metadata image under tests/fixtures, with a short name for messages.
struct ThinImage {
    const char* name;
    const char* fixture;
    bool heldSnapshot; // held_root != 0
};

inline const std::vector<ThinImage>& thinImages() {
    static const std::vector<ThinImage> images = {
        {"thin_small", "tools/thin_small.bin.zst", false},
        {"thin_large", "tools/thin_large.bin.zst", false},
        {"thin_needs_check", "tools/thin_needs_check.bin.zst", false},
        {"kernel", "kernel/pool-a/metadata.img.zst", false},
        {"kernel_msnap", "kernel/pool-a/metadata-msnap.img.zst", true},
        {"lvm", "lvm/pool/metadata.img.zst", false},
        {"lvm_live_msnap", "lvm/pool/metadata-live-msnap.img.zst", true},
    };
    return images;
}

// The decompressed fixture as a file in the test's temporary directory (written once).
inline QString fixtureFile(const QString& fixture) {
    static QHash<QString, QString> written;
    auto it = written.find(fixture);
    if (it != written.end()) return *it;
    QString name = QFileInfo(fixture).completeBaseName();
    name = fixture.section(QLatin1Char('/'), 0, -2).replace(QLatin1Char('/'), QLatin1Char('_')) +
           QLatin1Char('_') + name;
    const QString path = writeTempFile(name, fixtureBytes(fixture));
    written.insert(fixture, path);
    return path;
}

// Bytes of a stored (uncompressed) fixture file.
inline QByteArray storedText(const QString& fixture) {
    const auto bytes = fixtureBytes(fixture);
    return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<qsizetype>(bytes.size()));
}

inline QString toolPath(const char* tool) {
    const QString found = QStandardPaths::findExecutable(QLatin1String(tool));
    return found.isEmpty() ? QStringLiteral("/usr/sbin/") + QLatin1String(tool) : found;
}

// First differing line of two outputs, for failure messages.
inline QByteArray firstDifference(const QByteArray& ours, const QByteArray& theirs) {
    const QList<QByteArray> a = ours.split('\n');
    const QList<QByteArray> b = theirs.split('\n');
    for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i) {
        const QByteArray x = i < a.size() ? a[i] : QByteArray("<end>");
        const QByteArray y = i < b.size() ? b[i] : QByteArray("<end>");
        if (x != y)
            return "line " + QByteArray::number(i + 1) + ": ours '" + x + "' tool '" + y + "'";
    }
    return "same lines";
}

// Runs `tool toolArgs` and `dmscope-cli cliArgs`; both must succeed with identical stdout.
inline void expectSameAsTool(const char* tool, const QStringList& toolArgs,
                             const QStringList& cliArgs) {
    QVERIFY2(haveThinTools(),
             "thin-provisioning-tools are not installed (./test.sh installs them)");
    const RunResult theirs = runProgram(toolPath(tool), toolArgs);
    QVERIFY2(theirs.exitCode == 0 && !theirs.crashed,
             qPrintable(QString::fromLatin1(tool) + QLatin1Char(' ') + toolArgs.join(' ') +
                        QStringLiteral(" failed: ") + QString::fromUtf8(theirs.err)));
    const RunResult ours = runCli(cliArgs);
    QVERIFY2(ours.exitCode == 0 && !ours.crashed,
             qPrintable(QStringLiteral("dmscope-cli ") + cliArgs.join(' ') +
                        QStringLiteral(" failed: ") + QString::fromUtf8(ours.err)));
    QVERIFY2(ours.out == theirs.out,
             qPrintable(QStringLiteral("dmscope-cli ") + cliArgs.join(' ') +
                        QStringLiteral(" differs from ") + QLatin1String(tool) + QLatin1Char(' ') +
                        toolArgs.join(' ') + QStringLiteral(": ") +
                        QString::fromUtf8(firstDifference(ours.out, theirs.out))));
}

// Rewrites one u64 of a metadata block in an image file's bytes and reseals the block.
inline void patchU64(std::vector<std::uint8_t>& image, std::uint64_t block, std::size_t offset,
                     std::uint64_t value, BlockType type) {
    std::uint8_t* b = image.data() + block * kBlockSize;
    storeLe64(b + offset, value);
    sealBlock(b, block, type);
}

inline std::uint64_t readU64(const std::vector<std::uint8_t>& image, std::uint64_t block,
                             std::size_t offset) {
    return loadLe64(image.data() + block * kBlockSize + offset);
}

inline std::uint32_t readU32(const std::vector<std::uint8_t>& image, std::uint64_t block,
                             std::size_t offset) {
    return loadLe32(image.data() + block * kBlockSize + offset);
}

// A pool written by thin_restore from generated XML (deterministic): several devices with long
// runs crossing leaf boundaries, broken runs (time or data gaps), single mappings, and data
// blocks shared between devices. Returns the image path; fails the test if thin_restore fails.
inline QString restoredPool(const QString& name, unsigned seed) {
    std::uint64_t state = seed * 6364136223846793005ull + 1442695040888963407ull;
    auto next = [&state](std::uint64_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % n;
    };
    const std::uint64_t nrData = 200000;
    QByteArray xml = "<superblock uuid=\"\" time=\"7\" transaction=\"" + QByteArray::number(seed) +
                     "\" data_block_size=\"128\" nr_data_blocks=\"" +
                     QByteArray::number(quint64(nrData)) + "\">\n";
    for (unsigned dev : {0u, 3u, 4u, 17u, 1000u}) {
        QByteArray body;
        std::uint64_t v = next(50), mapped = 0;
        const unsigned n = 200 + static_cast<unsigned>(next(900));
        for (unsigned i = 0; i < n; ++i) {
            // Devices 3 and 4 reuse device 0's low data blocks, so some blocks are shared.
            const std::uint64_t d = (dev == 3 || dev == 4) && next(3) == 0
                                        ? next(3000)
                                        : 3000 + next(nrData - 3000 - 3000);
            const unsigned t = static_cast<unsigned>(next(8));
            if (next(4) == 0) {
                const std::uint64_t len = 2 + next(next(5) == 0 ? 2000 : 30);
                body += "<range_mapping origin_begin=\"" + QByteArray::number(quint64(v)) +
                        "\" data_begin=\"" + QByteArray::number(quint64(d)) + "\" length=\"" +
                        QByteArray::number(quint64(len)) + "\" time=\"" + QByteArray::number(t) +
                        "\"/>\n";
                v += len;
                mapped += len;
            } else {
                body += "<single_mapping origin_block=\"" + QByteArray::number(quint64(v)) +
                        "\" data_block=\"" + QByteArray::number(quint64(d)) + "\" time=\"" +
                        QByteArray::number(t) + "\"/>\n";
                v += 1;
                mapped += 1;
            }
            v += next(3) == 0 ? next(10) : 0;
        }
        xml += "<device dev_id=\"" + QByteArray::number(dev) + "\" mapped_blocks=\"" +
               QByteArray::number(quint64(mapped)) + "\" transaction=\"" +
               QByteArray::number(dev % 5) + "\" creation_time=\"" + QByteArray::number(dev % 7) +
               "\" snap_time=\"7\">\n" + body + "</device>\n";
    }
    xml += "</superblock>\n";
    const QString xmlPath = writeTempFile(name + QStringLiteral(".xml"),
                                          std::vector<std::uint8_t>(xml.begin(), xml.end()));
    const QString image = writeTempFile(name + QStringLiteral(".img"),
                                        std::vector<std::uint8_t>(std::size_t(16) << 20, 0));
    const RunResult r = runProgram(toolPath("thin_restore"),
                                   {QStringLiteral("-i"), xmlPath, QStringLiteral("-o"), image});
    if (r.exitCode != 0)
        qWarning("thin_restore failed for %s: %s", qPrintable(name), r.err.constData());
    return r.exitCode == 0 ? image : QString();
}

} // namespace dms::test
