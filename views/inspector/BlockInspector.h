#pragma once
// The selected metadata block, byte by byte: a hex view with every decoded field tinted and named
// (FORMAT.md names, via core/inspect/BlockLayout), the list of fields (click one: its bytes are
// highlighted; click a byte: its field is selected), the stored and computed checksum (crc32c
// with the block type's xor), the self block number against the block's location, and one
// error line when the block does not validate as its type.
//
// The type is the one whose checksum matches; failing that the block map's role (when the main
// window has one), else a guess from the header.

#include "core/BlockType.h"
#include "core/inspect/BlockLayout.h"

#include <QWidget>
#include <memory>
#include <optional>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace dms {

class BlockMap;
class BlockSelection;
class HexView;
class ThinPoolDocument;
struct BlockRef;

class BlockInspector : public QWidget {
    Q_OBJECT
public:
    explicit BlockInspector(QWidget* parent = nullptr);
    ~BlockInspector() override;

    // nullptr: nothing open. Shows block 0 of a new document until a block is selected.
    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);
    // Optional: roles from the background index decide the type of blocks that do not validate
    // and how btree values are decoded (mapping leaf, top-level leaf, details ...).
    void setBlockMap(std::shared_ptr<const BlockMap> map);

    void showBlock(std::uint64_t block);
    // Shows block (if not shown) and selects the key of entry `slot` (a btree node's key[slot];
    // an array block's value[slot]),
    // e.g. for BtreeBrowser::entrySelected.
    void showSlot(quint64 block, int slot);

    // What is shown (for tests and the status bar).
    std::optional<std::uint64_t> currentBlock() const { return block_; }
    BlockType blockType() const { return type_; }
    std::uint32_t storedChecksum() const { return stored_; }
    std::uint32_t computedChecksum() const { return computed_; }
    bool checksumMatches() const { return block_ && stored_ == computed_; }
    bool blockNumberMatches() const { return block_ && selfNumber_ == *block_; }
    // Empty when the block validates.
    QString errorText() const { return error_; }
    const BlockLayout& layout() const { return layout_; }
    HexView* hexView() const { return hex_; }
    QTreeWidget* fieldList() const { return fields_; }
    // Selects field i (index into layout().fields()) in the list and the hex view.
    void selectField(int field);

private:
    void follow(const BlockRef& ref, const QObject* origin);
    BlockType chooseType(const std::uint8_t* bytes, std::uint64_t block) const;
    NodeValueKind valueKindFor(std::uint64_t block) const;
    void fillFieldList();
    void showHovered(int field);
    void showNothing(const QString& why);

    std::shared_ptr<ThinPoolDocument> doc_;
    std::shared_ptr<const BlockMap> map_;
    BlockSelection* selection_ = nullptr;
    std::optional<std::uint64_t> block_;
    BlockType type_ = BlockType::BtreeNode;
    BlockLayout layout_;
    std::uint32_t stored_ = 0;
    std::uint32_t computed_ = 0;
    std::uint64_t selfNumber_ = 0;
    QString error_;
    std::vector<QTreeWidgetItem*> fieldItems_; // per layout field

    QLabel* title_;
    QLabel* checks_;
    QLabel* errorLine_;
    QLabel* hoverLine_;
    HexView* hex_;
    QTreeWidget* fields_;
};

} // namespace dms
