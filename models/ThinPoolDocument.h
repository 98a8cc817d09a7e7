#pragma once
// One opened thin-pool metadata image or device, as the GUI holds it: the metadata, a name to
// show, and which superblock is being looked at (the live one or the held metadata snapshot's
// copy). Always read-only for now; editing comes with its own issue.
//
// dm-cache and dm-era metadata open here too (kind() says which): cacheEra() then holds their
// superblock and trees, and metadata() is the machinery they share with thin (reader, metadata
// space map; ThinMetadata::sharedMachinery), so the space-map, b-tree, inspector and block views
// work unchanged. The thin-only parts (devices, data space map, snapshot) are empty.

#include "core/MetadataKind.h"
#include "core/devmapper/LivePool.h"
#include "core/thin/ThinMetadata.h"

#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace dms {

class CacheEraDocument;

class ThinPoolDocument {
public:
    // Opens a file or block device read-only (O_RDONLY; never written). Fails only when block 0 is
    // not thin metadata at all (or the file cannot be read).
    static Expected<std::shared_ptr<ThinPoolDocument>> openPath(const QString& path);
    // The bundled demo pool, from memory.
    static Expected<std::shared_ptr<ThinPoolDocument>> openDemo();
    // Any source; displayName is what titles and messages call it.
    static Expected<std::shared_ptr<ThinPoolDocument>>
    openSource(std::shared_ptr<const BlockSource> source, const QString& displayName, bool demo);

    MetadataKind kind() const { return kind_; }
    bool isThin() const { return kind_ == MetadataKind::Thin; }
    // The cache or era part; null for thin metadata.
    const std::shared_ptr<const CacheEraDocument>& cacheEra() const { return cacheEra_; }

    const QString& displayName() const { return displayName_; }
    bool isDemo() const { return demo_; }
    bool isReadOnly() const { return true; }
    const ThinMetadata& metadata() const { return *metadata_; }
    std::shared_ptr<const ThinMetadata> metadataPtr() const { return metadata_; }
    // The bytes behind the metadata (for the checker, which opens its own view of them).
    const std::shared_ptr<const BlockSource>& source() const { return source_; }
    // What bookmarks and recent files are keyed by: the canonical path, or "demo:" for the demo.
    const QString& identity() const { return identity_; }
    std::uint64_t deviceBlocks() const { return metadata_->reader().blockCount(); }

    // The superblock being shown: block 0, or the held copy after showMetadataSnapshot(true).
    const ThinSuperblock& superblock() const { return shown_; }
    bool showingMetadataSnapshot() const { return shown_.location != 0; }
    // Switches between the live superblock and the held copy; on error the live one stays.
    Status showMetadataSnapshot(bool held);

    // Why block 0 fails validation, when it does: the document then shows its fields as stored
    // (a damaged pool is inspected, not refused).
    const std::optional<Error>& superblockDamage() const;

    // Keeps something alive as long as the document: a live pool's reserved metadata snapshot
    // (released when the view closes) and the device-mapper connection it came from.
    void holdWhileOpen(std::shared_ptr<void> resource) { held_.push_back(std::move(resource)); }
    // Said about a live pool's metadata (a warning, or what snapshot is being read); empty else.
    const QString& liveNote() const { return liveNote_; }
    void setLiveNote(QString note) { liveNote_ = std::move(note); }
    // The kernel's status of the live pool whose metadata this is (dmsetup status, when opened).
    void setKernelStatus(std::optional<ThinPoolStatus> status) {
        kernelStatus_ = std::move(status);
    }
    const std::optional<ThinPoolStatus>& kernelStatus() const { return kernelStatus_; }
    // The kernel's transaction id against the superblock shown (block 0 or the held copy).
    std::optional<TransactionMismatch> transactionMismatch() const {
        return findTransactionMismatch(kernelStatus_, shown_);
    }

    // Set when the device holds fewer blocks than the superblock's metadata_nr_blocks.
    std::optional<QString> truncation() const;

private:
    ThinPoolDocument(std::shared_ptr<ThinMetadata> md, std::shared_ptr<const BlockSource> source,
                     QString name, bool demo);

    std::shared_ptr<ThinMetadata> metadata_;
    std::shared_ptr<const CacheEraDocument> cacheEra_;
    MetadataKind kind_ = MetadataKind::Thin;
    std::shared_ptr<const BlockSource> source_;
    QString identity_;
    QString displayName_;
    bool demo_;
    ThinSuperblock shown_;
    QString liveNote_;
    std::optional<ThinPoolStatus> kernelStatus_;
    std::vector<std::shared_ptr<void>> held_; // let go when the document goes
};

} // namespace dms
