#include "views/inspector/BlockInspector.h"

#include "models/BlockHeaderDescription.h"

#include "core/btree/BtreeNode.h"
#include "core/thin/BlockMap.h"
#include "models/BlockSelection.h"
#include "models/ThinPoolDocument.h"
#include "views/inspector/HexView.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dms {

namespace {

enum FieldColumn { NameCol, OffsetCol, SizeCol, ValueCol, MeaningCol };
constexpr int kFieldRole = Qt::UserRole + 1;

QString hex32(std::uint32_t v) {
    return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0'));
}

// Colours for the verdicts, readable on light and dark backgrounds alike.
const char* const kGood = "#3c9a3c";
const char* const kBad = "#d04040";

QString verdict(bool ok, const QString& okText, const QString& badText) {
    return QStringLiteral("<span style=\"color:%1\">%2</span>")
        .arg(QLatin1String(ok ? kGood : kBad), ok ? okText : badText);
}

} // namespace

BlockInspector::BlockInspector(QWidget* parent)
    : QWidget(parent), title_(new QLabel(this)), checks_(new QLabel(this)),
      errorLine_(new QLabel(this)), hoverLine_(new QLabel(this)), hex_(new HexView(this)),
      fields_(new QTreeWidget(this)) {
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    checks_->setTextFormat(Qt::RichText);
    errorLine_->setWordWrap(true);
    errorLine_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    errorLine_->setStyleSheet(QStringLiteral("color: %1").arg(QLatin1String(kBad)));
    errorLine_->hide();
    hoverLine_->setTextFormat(Qt::PlainText);

    fields_->setColumnCount(5);
    fields_->setHeaderLabels({tr("Field"), tr("Offset"), tr("Size"), tr("Value"), tr("Meaning")});
    fields_->setUniformRowHeights(true);
    fields_->setAlternatingRowColors(true);
    fields_->setRootIsDecorated(true);
    fields_->header()->setStretchLastSection(true);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(hex_);
    split->addWidget(fields_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(title_);
    layout->addWidget(checks_);
    layout->addWidget(errorLine_);
    layout->addWidget(split, 1);
    layout->addWidget(hoverLine_);

    connect(fields_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item) hex_->setHighlightedField(item->data(NameCol, kFieldRole).toInt());
    });
    connect(hex_, &HexView::fieldClicked, this, &BlockInspector::selectField);
    connect(hex_, &HexView::hoveredFieldChanged, this, &BlockInspector::showHovered);
    showNothing(tr("No metadata open"));
}

BlockInspector::~BlockInspector() = default;

void BlockInspector::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    map_.reset();
    if (doc_)
        showBlock(0);
    else
        showNothing(tr("No metadata open"));
}

void BlockInspector::setSelection(BlockSelection* selection) {
    if (selection_) disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_)
        connect(selection_, &BlockSelection::currentChanged, this, &BlockInspector::follow);
}

void BlockInspector::setBlockMap(std::shared_ptr<const BlockMap> map) {
    map_ = std::move(map);
    if (block_) showBlock(*block_); // the role may decode values better now
}

void BlockInspector::follow(const BlockRef& ref, const QObject*) {
    if (ref.isMetadata()) showBlock(ref.block);
}

BlockType BlockInspector::chooseType(const std::uint8_t* bytes, std::uint64_t block) const {
    if (auto t = BlockLayout::detectType(bytes)) return *t;
    if (map_ && block < map_->size())
        if (auto t = blockTypeOfRole(map_->role(block))) return *t;
    if (block == 0 || loadLe64(bytes + 32) == kThinSuperblockMagic)
        return BlockType::ThinSuperblock;
    if (doc_ && block == doc_->metadata().superblock().metadataSpaceMap.bitmapRoot)
        return BlockType::MetadataIndex;
    return BlockType::BtreeNode; // the commonest block; its header shows whether that fits
}

NodeValueKind BlockInspector::valueKindFor(std::uint64_t block) const {
    if (map_ && block < map_->size()) {
        switch (map_->role(block)) {
        case BlockRole::MappingBottomLeaf:
            return NodeValueKind::BlockTime;
        case BlockRole::MappingTopLeaf:
            return NodeValueKind::DeviceRoot;
        case BlockRole::DetailsLeaf:
            return NodeValueKind::DeviceDetails;
        case BlockRole::MetadataRefcountNode:
        case BlockRole::DataRefcountNode:
            return NodeValueKind::RefCount;
        case BlockRole::DataSmIndexNode:
            return NodeValueKind::IndexEntry;
        default:
            break;
        }
    }
    if (doc_ && block == doc_->superblock().dataMappingRoot) return NodeValueKind::DeviceRoot;
    return NodeValueKind::Unknown;
}

void BlockInspector::showBlock(std::uint64_t block) {
    if (!doc_) return;
    auto raw = doc_->metadata().reader().raw(block);
    if (!raw) {
        showNothing(QString::fromStdString(raw.error().describe()));
        return;
    }
    const std::uint8_t* bytes = raw->data();
    block_ = block;
    type_ = chooseType(bytes, block);
    layout_ = BlockLayout::describe(bytes, type_, valueKindFor(block));
    stored_ = dms::storedChecksum(bytes);
    computed_ = dms::computeChecksum(bytes, type_);
    selfNumber_ = raw->u64(blockNumberOffset(type_));
    error_.clear();
    if (Status s = validateBlock(*raw, type_); !s) {
        error_ = QString::fromStdString(s.error().describe());
    } else if (type_ == BlockType::BtreeNode) {
        if (auto n = BtreeNode::fromBlock(*raw, 0); !n)
            error_ = QString::fromStdString(n.error().describe());
    }

    QString what = QString::fromLatin1(blockTypeName(type_));
    if (type_ == BlockType::BtreeNode)
        what += raw->u32(4) == kNodeLeaf       ? tr(" (leaf)")
                : raw->u32(4) == kNodeInternal ? tr(" (internal)")
                                               : QString();
    if (map_ && block < map_->size())
        what += QStringLiteral(" · ") + QString::fromLatin1(blockRoleName(map_->role(block)));
    title_->setText(tr("Block %1 · %2").arg(block).arg(what));
    checks_->setText(tr("csum stored %1 · computed %2 %3 &nbsp;&nbsp; blocknr field %4 %5")
                         .arg(hex32(stored_), hex32(computed_),
                              verdict(stored_ == computed_, tr("✓ match"), tr("✗ mismatch")))
                         .arg(selfNumber_)
                         .arg(verdict(selfNumber_ == block, tr("✓ = location"),
                                      tr("✗ read from block %1").arg(block))));
    errorLine_->setText(error_.isEmpty() ? QString() : tr("Does not validate: %1").arg(error_));
    errorLine_->setVisible(!error_.isEmpty());
    hex_->setBlock(QByteArray(reinterpret_cast<const char*>(bytes), int(kBlockSize)), layout_);
    fillFieldList();
    showHovered(-1);
}

void BlockInspector::showSlot(quint64 block, int slot) {
    if (block_ != block) showBlock(block);
    // Btree nodes group a slot as key[i]; array blocks (dm-cache, dm-era) have value[i] only.
    for (const char* group : {"key[", "value["}) {
        std::string name(group);
        name.append(std::to_string(slot)).append("]");
        for (std::size_t i = 0; i < layout_.fields().size(); ++i) {
            if (layout_.fields()[i].group == name) {
                selectField(int(i));
                return;
            }
        }
    }
}

void BlockInspector::showNothing(const QString& why) {
    block_.reset();
    layout_ = BlockLayout();
    error_.clear();
    title_->setText(why);
    checks_->clear();
    errorLine_->hide();
    hex_->clear();
    fields_->clear();
    fieldItems_.clear();
    hoverLine_->clear();
}

void BlockInspector::fillFieldList() {
    fields_->setUpdatesEnabled(false);
    fields_->clear();
    fieldItems_.assign(layout_.fields().size(), nullptr);
    QHash<QRgb, QIcon> swatches;
    const int side = fontMetrics().height() / 2 + 2;
    auto swatch = [&](int field) {
        const QColor c = hex_->fieldColor(field);
        if (!c.isValid()) return QIcon();
        auto it = swatches.find(c.rgb());
        if (it == swatches.end()) {
            const qreal dpr = devicePixelRatioF(); // crisp swatches on HiDPI screens
            QPixmap pm(int(side * dpr), int(side * dpr));
            pm.setDevicePixelRatio(dpr);
            pm.fill(c);
            it = swatches.insert(c.rgb(), QIcon(pm));
        }
        return *it;
    };
    const auto& fs = layout_.fields();
    QList<QTreeWidgetItem*> top;
    for (std::size_t i = 0; i < fs.size();) {
        std::size_t end = i + 1;
        while (!fs[i].group.empty() && end < fs.size() && fs[end].group == fs[i].group)
            ++end;
        QTreeWidgetItem* parent = nullptr;
        if (end - i > 1) {
            const BlockField& last = fs[end - 1];
            // The group's row sums up its fields: "time 1 · data_block 178".
            QStringList summary;
            for (std::size_t k = i; k < end; ++k)
                if (fs[k].part != BlockField::Part::Unused)
                    summary << QString::fromStdString(fs[k].name + " " + fs[k].value);
            parent = new QTreeWidgetItem({QString::fromStdString(fs[i].group),
                                          QString::number(fs[i].offset),
                                          QString::number(last.offset + last.size - fs[i].offset),
                                          summary.join(QStringLiteral(" · "))});
            parent->setToolTip(ValueCol, parent->text(ValueCol));
            parent->setData(NameCol, kFieldRole, int(i));
            parent->setIcon(NameCol, swatch(int(i)));
            top.append(parent);
        }
        for (std::size_t k = i; k < end; ++k) {
            const BlockField& f = fs[k];
            const QString name = QString::fromStdString(
                parent || f.group.empty() ? f.name
                                          : f.group + (f.name == "key" ? "" : " " + f.name));
            auto* item = new QTreeWidgetItem(
                {name, QString::number(f.offset), QString::number(f.size),
                 QString::fromStdString(f.value), QString::fromStdString(f.meaning)});
            item->setData(NameCol, kFieldRole, int(k));
            item->setIcon(NameCol, swatch(int(k)));
            item->setToolTip(ValueCol, item->text(ValueCol));
            fieldItems_[k] = item;
            if (parent)
                parent->addChild(item);
            else
                top.append(item);
        }
        i = end;
    }
    fields_->addTopLevelItems(top);
    // Sized to their contents, but a long group summary must not push Meaning out of sight.
    const int widest = fontMetrics().horizontalAdvance(QLatin1Char('0')) * 30;
    for (int c = NameCol; c < MeaningCol; ++c) {
        fields_->resizeColumnToContents(c);
        fields_->setColumnWidth(c, std::min(fields_->columnWidth(c), widest));
    }
    fields_->setUpdatesEnabled(true);
}

void BlockInspector::selectField(int field) {
    if (field < 0 || std::size_t(field) >= fieldItems_.size()) return;
    QTreeWidgetItem* item = fieldItems_[std::size_t(field)];
    fields_->setCurrentItem(item);
    fields_->scrollToItem(item);
    hex_->setHighlightedField(field);
}

void BlockInspector::showHovered(int field) {
    if (field < 0 || std::size_t(field) >= layout_.fields().size()) {
        hoverLine_->setText(block_ ? tr("Hover a byte to name its field; click to select it.")
                                   : QString());
        return;
    }
    const BlockField& f = layout_.fields()[std::size_t(field)];
    const QString name = QString::fromStdString(f.group.empty() ? f.name : f.group + " " + f.name);
    hoverLine_->setText(
        tr("offset %1 (+%2 bytes): %3 = %4 · %5")
            .arg(f.offset)
            .arg(f.size)
            .arg(name, QString::fromStdString(f.value), QString::fromStdString(f.meaning)));
}

} // namespace dms
