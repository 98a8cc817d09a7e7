#include "models/BtreeItem.h"

#include "core/btree/BtreeNode.h"
#include "core/era/EraSuperblock.h"
#include "core/spacemap/IndexEntry.h"
#include "core/thin/DeviceDetails.h"

namespace dms {

bool BtreeItem::expandable() const {
    switch (kind) {
    case Kind::Root:
        return true;
    case Kind::Node:
        return !error && nrEntries > 0;
    case Kind::Entry:
        return tree == BtreeKind::MappingTop;
    case Kind::Run:
        return true;
    }
    return false;
}

std::unique_ptr<BtreeItem> BtreeItem::makeNode(const BlockReader& reader, BtreeKind tree,
                                               std::uint64_t number, BtreeItem* parentItem) {
    auto item = std::make_unique<BtreeItem>();
    item->kind = Kind::Node;
    item->tree = tree;
    item->block = number;
    for (const BtreeItem* up = parentItem; up; up = up->parent) {
        if (up->kind == Kind::Node && up->block == number) {
            item->error = makeError(
                ErrorKind::Cycle,
                "node " + std::to_string(number) + " is one of its own ancestors (cycle)", number);
            return item;
        }
    }
    auto node = BtreeNode::read(reader, number, BtreeRoot::leafValueSize(tree));
    if (!node) {
        item->error = node.takeError();
        return item;
    }
    item->flags = node->flags();
    item->nrEntries = node->nrEntries();
    item->maxEntries = node->maxEntries();
    item->valueSize = node->valueSize();
    return item;
}

void BtreeItem::fillEntry(const BtreeNode& leaf, std::uint32_t i) {
    key = leaf.key(i);
    const std::uint8_t* v = leaf.value(i);
    switch (tree) {
    case BtreeKind::Details: {
        const DeviceDetails dd = DeviceDetails::decode(v);
        a = dd.mappedBlocks;
        b = dd.transactionId;
        c = dd.creationTime;
        d = dd.snapshottedTime;
        break;
    }
    case BtreeKind::MappingTop:
        a = loadLe64(v);
        device = key;
        break;
    case BtreeKind::MappingBottom: {
        const BlockTime bt = BlockTime::unpack(loadLe64(v));
        a = bt.dataBlock;
        b = bt.time;
        break;
    }
    case BtreeKind::MetadataRefCount:
    case BtreeKind::DataRefCount:
        a = loadLe32(v);
        break;
    case BtreeKind::DataSpaceMapIndex: {
        const IndexEntry e = IndexEntry::decode(v);
        a = e.blocknr;
        b = e.nrFree;
        c = e.noneFreeBefore;
        break;
    }
    case BtreeKind::WritesetTree: {
        const EraWriteset w = EraWriteset::decode(v);
        a = w.root;
        b = w.nrBits;
        break;
    }
    case BtreeKind::MappingArray:
    case BtreeKind::HintArray:
    case BtreeKind::DiscardBitset:
    case BtreeKind::DirtyBitset:
    case BtreeKind::EraArray:
    case BtreeKind::WritesetBitset:
        a = loadLe64(v); // the array block
        break;
    }
}

std::vector<std::unique_ptr<BtreeItem>> BtreeItem::leafRows(const BtreeNode& leaf) {
    std::vector<std::unique_ptr<BtreeItem>> rows;
    const std::uint32_t nr = leaf.nrEntries();
    for (std::uint32_t i = 0; i < nr;) {
        auto e = std::make_unique<BtreeItem>();
        e->kind = Kind::Entry;
        e->tree = tree;
        e->block = block;
        e->slot = i;
        e->device = device;
        e->fillEntry(leaf, i);
        std::uint32_t n = 1;
        if (tree == BtreeKind::MappingBottom) {
            // Consecutive virtual blocks to consecutive data blocks with one time: one run, as
            // thin_dump's range_mapping (FORMAT.md §12).
            while (i + n < nr) {
                const BlockTime next = BlockTime::unpack(leaf.valueU64(i + n));
                if (leaf.key(i + n) != e->key + n || next.dataBlock != e->a + n ||
                    next.time != e->b)
                    break;
                ++n;
            }
        }
        if (n > 1) {
            e->kind = Kind::Run;
            e->count = n;
        }
        i += n;
        rows.push_back(std::move(e));
    }
    return rows;
}

std::vector<std::unique_ptr<BtreeItem>> BtreeItem::fetchChildren(const BlockReader& reader) {
    std::vector<std::unique_ptr<BtreeItem>> rows;
    if (kind == Kind::Entry && tree == BtreeKind::MappingTop) {
        auto n = makeNode(reader, BtreeKind::MappingBottom, a, this);
        n->device = key;
        rows.push_back(std::move(n));
        return rows;
    }
    if (kind != Kind::Node && kind != Kind::Run) return rows;
    if (kind == Kind::Node && (error || nrEntries == 0)) return rows;
    // Read again: rows keep no block bytes, so a large fetched tree costs little memory.
    auto node = BtreeNode::read(reader, block, BtreeRoot::leafValueSize(tree));
    if (!node) return rows;
    if (kind == Kind::Run) {
        for (std::uint32_t i = slot; i < slot + count && i < node->nrEntries(); ++i) {
            auto e = std::make_unique<BtreeItem>();
            e->kind = Kind::Entry;
            e->tree = tree;
            e->block = block;
            e->slot = i;
            e->device = device;
            e->fillEntry(*node, i);
            rows.push_back(std::move(e));
        }
        return rows;
    }
    if (node->isLeaf()) return leafRows(*node);
    for (std::uint32_t i = 0; i < node->nrEntries(); ++i) {
        auto child = makeNode(reader, tree, node->valueU64(i), this);
        child->slot = i;
        child->key = node->key(i);
        child->device = device;
        rows.push_back(std::move(child));
    }
    return rows;
}

QString BtreeItem::errorText() const {
    return error ? QString::fromStdString(error->describe()) : QString();
}

namespace {

QString entryKeyText(const BtreeItem& e) {
    switch (e.tree) {
    case BtreeKind::Details:
    case BtreeKind::MappingTop:
        return QStringLiteral("dev %1").arg(e.key);
    case BtreeKind::MappingBottom:
        if (e.kind == BtreeItem::Kind::Run)
            return QStringLiteral("vblocks %1..%2").arg(e.key).arg(e.key + e.count - 1);
        return QStringLiteral("vblock %1").arg(e.key);
    case BtreeKind::MetadataRefCount:
        return QStringLiteral("block %1").arg(e.key);
    case BtreeKind::DataRefCount:
        return QStringLiteral("data block %1").arg(e.key);
    case BtreeKind::DataSpaceMapIndex:
        return QStringLiteral("bitmap %1").arg(e.key);
    case BtreeKind::WritesetTree:
        return QStringLiteral("era %1").arg(e.key);
    case BtreeKind::MappingArray:
    case BtreeKind::HintArray:
    case BtreeKind::DiscardBitset:
    case BtreeKind::DirtyBitset:
    case BtreeKind::EraArray:
    case BtreeKind::WritesetBitset:
        return QStringLiteral("array block #%1").arg(e.key);
    }
    return {};
}

QString entryValueText(const BtreeItem& e) {
    switch (e.tree) {
    case BtreeKind::Details:
        return QStringLiteral("mapped %1, trans %2, created %3, snapshotted %4")
            .arg(e.a)
            .arg(e.b)
            .arg(e.c)
            .arg(e.d);
    case BtreeKind::MappingTop:
        return QStringLiteral("-> root %1").arg(e.a);
    case BtreeKind::MappingBottom:
        if (e.kind == BtreeItem::Kind::Run)
            return QStringLiteral("-> data %1..%2 (%3), time %4")
                .arg(e.a)
                .arg(e.a + e.count - 1)
                .arg(e.count)
                .arg(e.b);
        return QStringLiteral("-> data %1, time %2").arg(e.a).arg(e.b);
    case BtreeKind::MetadataRefCount:
    case BtreeKind::DataRefCount:
        return QStringLiteral("count %1").arg(e.a);
    case BtreeKind::DataSpaceMapIndex:
        return QStringLiteral("bitmap block %1, nr_free %2, none_free_before %3, blocks %4..%5")
            .arg(e.a)
            .arg(e.b)
            .arg(e.c)
            .arg(e.key * kEntriesPerBitmap)
            .arg(e.key * kEntriesPerBitmap + kEntriesPerBitmap - 1);
    case BtreeKind::WritesetTree:
        return QStringLiteral("-> bitset root %1, %2 bits").arg(e.a).arg(e.b);
    case BtreeKind::MappingArray:
    case BtreeKind::HintArray:
    case BtreeKind::DiscardBitset:
    case BtreeKind::DirtyBitset:
    case BtreeKind::EraArray:
    case BtreeKind::WritesetBitset:
        return QStringLiteral("-> array block %1").arg(e.a);
    }
    return {};
}

QString nodeKeyText(const BtreeItem& n) {
    if (!n.parent || n.parent->kind == BtreeItem::Kind::Root) return QStringLiteral("root");
    if (n.parent->kind == BtreeItem::Kind::Entry)
        return QStringLiteral("root of dev %1").arg(n.device);
    return QStringLiteral("[%1] key %2").arg(n.slot).arg(n.key);
}

QString nodeHeaderText(const BtreeItem& n) {
    if (n.error) return QStringLiteral("error: ") + n.errorText();
    const unsigned fill = n.maxEntries ? unsigned(100ull * n.nrEntries / n.maxEntries) : 0;
    return QStringLiteral("%1 · %2/%3 entries (%4%) · value size %5")
        .arg(n.isLeafNode() ? QStringLiteral("leaf") : QStringLiteral("internal"))
        .arg(n.nrEntries)
        .arg(n.maxEntries)
        .arg(fill)
        .arg(n.valueSize);
}

} // namespace

QString BtreeItem::text(int column) const {
    if (kind == Kind::Node) {
        if (column == 0) return nodeKeyText(*this);
        if (column == 1) return nodeHeaderText(*this);
        return QString::number(block);
    }
    if (kind == Kind::Entry || kind == Kind::Run) {
        if (column == 0) return entryKeyText(*this);
        if (column == 1) return entryValueText(*this);
        return QString();
    }
    return QString();
}

} // namespace dms
