#include "models/ThinPoolDocument.h"

#include "core/FileBlockSource.h"
#include "models/CacheEraDocument.h"
#include "models/DemoPool.h"

#include <QFileInfo>

namespace dms {

ThinPoolDocument::ThinPoolDocument(std::shared_ptr<ThinMetadata> md,
                                   std::shared_ptr<const BlockSource> source, QString name,
                                   bool demo)
    : metadata_(std::move(md)), source_(std::move(source)), displayName_(std::move(name)),
      demo_(demo), shown_(metadata_->superblock()) {
    if (demo_) {
        identity_ = QStringLiteral("demo:");
    } else {
        const QString canonical = QFileInfo(displayName_).canonicalFilePath();
        identity_ = canonical.isEmpty() ? displayName_ : canonical;
    }
}

Expected<std::shared_ptr<ThinPoolDocument>> ThinPoolDocument::openPath(const QString& path) {
    if (path.isEmpty()) return makeError(ErrorKind::Usage, "no path given");
    auto src = FileBlockSource::open(path.toStdString(), OpenMode::ReadOnly);
    if (!src) return src.takeError();
    return openSource(std::shared_ptr<const BlockSource>(std::move(*src)), path, false);
}

Expected<std::shared_ptr<ThinPoolDocument>> ThinPoolDocument::openDemo() {
    auto src = DemoPool::load();
    if (!src) return src.takeError();
    return openSource(*src, QString::fromLatin1(DemoPool::kDisplayName), true);
}

Expected<std::shared_ptr<ThinPoolDocument>>
ThinPoolDocument::openSource(std::shared_ptr<const BlockSource> source, const QString& displayName,
                             bool demo) {
    auto kind = detectMetadataKind(*source);
    if (kind && (*kind == MetadataKind::Cache || *kind == MetadataKind::Era)) {
        auto ce = CacheEraDocument::open(source, *kind);
        if (!ce) return ce.takeError();
        auto md = ThinMetadata::sharedMachinery(source, (*ce)->sharedSuperblock());
        auto doc = std::shared_ptr<ThinPoolDocument>(
            new ThinPoolDocument(std::move(md), std::move(source), displayName, demo));
        doc->cacheEra_ = std::move(*ce);
        doc->kind_ = *kind;
        return doc;
    }
    auto md = ThinMetadata::openDamaged(source);
    if (!md) return md.takeError();
    return std::shared_ptr<ThinPoolDocument>(
        new ThinPoolDocument(*md, std::move(source), displayName, demo));
}

const std::optional<Error>& ThinPoolDocument::superblockDamage() const {
    return cacheEra_ ? cacheEra_->superblockDamage() : metadata_->superblockDamage();
}

Status ThinPoolDocument::showMetadataSnapshot(bool held) {
    if (!held) {
        shown_ = metadata_->superblock();
        return Status::success();
    }
    auto copy = metadata_->metadataSnapshot();
    if (!copy) return copy.error();
    shown_ = *copy;
    return Status::success();
}

std::optional<QString> ThinPoolDocument::truncation() const {
    const std::uint64_t want = metadata_->superblock().metadataNrBlocks;
    if (deviceBlocks() >= want) return std::nullopt;
    if (cacheEra_)
        return QStringLiteral("%1 holds %2 blocks but the metadata space map's nr_blocks is %3: "
                              "the image is truncated")
            .arg(displayName_)
            .arg(deviceBlocks())
            .arg(want);
    return QStringLiteral("%1 holds %2 blocks but the superblock's metadata_nr_blocks is %3: "
                          "the image is truncated")
        .arg(displayName_)
        .arg(deviceBlocks())
        .arg(want);
}

} // namespace dms
