#include "tests/models/ModelFixtures.h"

#include "core/MemoryBlockSource.h"
#include "tests/support/Fixtures.h"

#include <QTest>

namespace dms::test {

const QStringList& thinFixtureNames() {
    static const QStringList names = {QStringLiteral("tools/thin_small.bin.zst"),
                                      QStringLiteral("tools/thin_large.bin.zst"),
                                      QStringLiteral("tools/thin_needs_check.bin.zst"),
                                      QStringLiteral("kernel/pool-a/metadata-msnap.img.zst"),
                                      QStringLiteral("kernel/pool-a/metadata.img.zst"),
                                      QStringLiteral("kernel/pool-b/metadata.img.zst"),
                                      QStringLiteral("lvm/pool/metadata.img.zst"),
                                      QStringLiteral("lvm/pool/metadata-live-msnap.img.zst")};
    return names;
}

std::shared_ptr<ThinPoolDocument> documentFromBytes(std::vector<std::uint8_t> bytes,
                                                    const QString& name) {
    auto source = std::make_shared<MemoryBlockSource>(std::move(bytes), false, name.toStdString());
    auto doc = ThinPoolDocument::openSource(source, name, false);
    if (!doc) qFatal("%s: %s", qPrintable(name), doc.error().describe().c_str());
    return *doc;
}

std::vector<std::pair<QString, std::shared_ptr<ThinPoolDocument>>> allDocuments() {
    std::vector<std::pair<QString, std::shared_ptr<ThinPoolDocument>>> out;
    auto demo = ThinPoolDocument::openDemo();
    if (!demo) qFatal("demo pool: %s", demo.error().describe().c_str());
    out.emplace_back(QStringLiteral("demo pool"), *demo);
    for (const QString& f : thinFixtureNames())
        out.emplace_back(f, documentFromBytes(fixtureBytes(f), f));
    return out;
}

int fetchAll(QAbstractItemModel& model, const QModelIndex& parent, int maxRows) {
    while (model.canFetchMore(parent))
        model.fetchMore(parent);
    int seen = 0;
    const int rows = model.rowCount(parent);
    for (int r = 0; r < rows && seen < maxRows; ++r) {
        ++seen;
        const QModelIndex child = model.index(r, 0, parent);
        if (model.hasChildren(child)) seen += fetchAll(model, child, maxRows - seen);
    }
    return seen;
}

} // namespace dms::test
