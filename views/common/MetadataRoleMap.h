#pragma once
// The metadata block map of dm-cache and dm-era metadata: one square per metadata block coloured
// by what it is (CacheEraBlockRoles: superblock, space map, array spines, mapping / hint / bitset /
// era-array blocks, writeset tree, free, leaked, unreadable), a legend with each role's count, and
// hover text naming the block and what points at it. Clicking emits blockClicked.

#include "models/CacheEraBlockRoles.h"

#include <QWidget>
#include <memory>

class QLabel;

namespace dms {

class CellGrid;
class SwatchLegend;

class MetadataRoleMap : public QWidget {
    Q_OBJECT
public:
    explicit MetadataRoleMap(QWidget* parent = nullptr);

    // nullptr: empty.
    void setRoles(std::shared_ptr<const CacheEraBlockRoles> roles);
    const CacheEraBlockRoles* roles() const { return roles_.get(); }
    CellGrid* grid() const { return grid_; }
    // "block 12: mapping array, pointed at by block 4".
    QString describe(std::uint64_t block) const;

signals:
    void blockClicked(quint64 block);

private:
    std::shared_ptr<const CacheEraBlockRoles> roles_;
    CellGrid* grid_;
    SwatchLegend* legend_;
    QLabel* caption_;
    QLabel* hover_;
};

} // namespace dms
