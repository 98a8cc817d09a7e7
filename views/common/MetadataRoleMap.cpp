#include "views/common/MetadataRoleMap.h"

#include "views/common/CellGrid.h"
#include "views/common/SwatchLegend.h"

#include <QLabel>
#include <QVBoxLayout>

namespace dms {
namespace {

// One colour per MetadataBlockRole, in enum order; free is taken from the palette.
QColor roleColour(MetadataBlockRole r, const QPalette& palette) {
    switch (r) {
    case MetadataBlockRole::Free:
        return palette.color(QPalette::AlternateBase).darker(108);
    case MetadataBlockRole::Superblock:
        return QColor(0x20, 0x20, 0x20);
    case MetadataBlockRole::SpaceMapIndex:
        return QColor(0x6a, 0x3d, 0x9a);
    case MetadataBlockRole::SpaceMapBitmap:
        return QColor(0xca, 0xb2, 0xd6);
    case MetadataBlockRole::RefcountNode:
        return QColor(0xb1, 0x59, 0x28);
    case MetadataBlockRole::ArraySpine:
        return QColor(0x1f, 0x78, 0xb4);
    case MetadataBlockRole::MappingArray:
        return QColor(0xa6, 0xce, 0xe3);
    case MetadataBlockRole::HintArray:
        return QColor(0xb2, 0xdf, 0x8a);
    case MetadataBlockRole::DiscardBitset:
        return QColor(0xfd, 0xbf, 0x6f);
    case MetadataBlockRole::DirtyBitset:
        return QColor(0xff, 0x7f, 0x00);
    case MetadataBlockRole::EraArray:
        return QColor(0x33, 0xa0, 0x2c);
    case MetadataBlockRole::WritesetTree:
        return QColor(0x1f, 0x78, 0xb4);
    case MetadataBlockRole::WritesetBitset:
        return QColor(0xfb, 0x9a, 0x99);
    case MetadataBlockRole::Leaked:
        return QColor(0xe3, 0x1a, 0x1c);
    case MetadataBlockRole::Unreadable:
        return QColor(0x99, 0x00, 0x00);
    case MetadataBlockRole::Count:
        break;
    }
    return Qt::magenta;
}

} // namespace

MetadataRoleMap::MetadataRoleMap(QWidget* parent)
    : QWidget(parent), grid_(new CellGrid(this)), legend_(new SwatchLegend(this)),
      caption_(new QLabel(this)), hover_(new QLabel(this)) {
    auto* l = new QVBoxLayout(this);
    caption_->setWordWrap(true);
    hover_->setMinimumHeight(hover_->fontMetrics().height());
    l->addWidget(caption_);
    l->addWidget(grid_, 1);
    l->addWidget(legend_);
    l->addWidget(hover_);
    connect(grid_, &CellGrid::itemClicked, this, &MetadataRoleMap::blockClicked);
    connect(grid_, &CellGrid::itemHovered, this,
            [this](qint64 b) { hover_->setText(b < 0 ? QString() : describe(quint64(b))); });
}

void MetadataRoleMap::setRoles(std::shared_ptr<const CacheEraBlockRoles> roles) {
    roles_ = std::move(roles);
    hover_->clear();
    if (!roles_) {
        grid_->clear();
        legend_->setEntries({});
        caption_->clear();
        return;
    }
    QVector<QColor> colours;
    QList<QPair<QColor, QString>> legend;
    for (unsigned i = 0; i < unsigned(MetadataBlockRole::Count); ++i) {
        const auto r = MetadataBlockRole(i);
        colours << roleColour(r, palette());
        if (roles_->total(r) > 0 && r != MetadataBlockRole::Free)
            legend.append(
                {roleColour(r, palette()), QStringLiteral("%1 %2")
                                               .arg(QLatin1String(metadataBlockRoleName(r)))
                                               .arg(roles_->total(r))});
    }
    legend.append({roleColour(MetadataBlockRole::Free, palette()),
                   tr("free %1").arg(roles_->total(MetadataBlockRole::Free))});
    // Free is 0 and the alarms are the highest: a square of several blocks shows the worst.
    grid_->setCells(roles_->roleBytes(), colours);
    legend_->setEntries(legend);
    caption_->setText(
        tr("Every metadata block by what points at it, found from the superblock: %1 blocks%2")
            .arg(roles_->size())
            .arg(roles_->errors().empty()
                     ? QString()
                     : tr("; %1 problem(s), first: %2")
                           .arg(roles_->errors().size())
                           .arg(QString::fromStdString(roles_->errors().front()))));
}

QString MetadataRoleMap::describe(std::uint64_t b) const {
    if (!roles_ || b >= roles_->size()) return {};
    const std::uint64_t p = roles_->parent(b);
    const QString from = p == CacheEraBlockRoles::kNoParent ? QString()
                         : p == 0                           ? tr(", pointed at by the superblock")
                                                            : tr(", pointed at by block %1").arg(p);
    return tr("block %1: %2%3")
        .arg(b)
        .arg(QLatin1String(metadataBlockRoleName(roles_->role(b))))
        .arg(from);
}

} // namespace dms
