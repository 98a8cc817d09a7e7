#pragma once
// The colours of the block map: one colour class per value a BlockClassSource yields (a role, a
// count bucket, an owner), each with a name for the legend, and the rule that turns a zoomed-out
// cell's class counts into one colour.
//
// Level of detail: a cell of many blocks shows an "alert" class (unreadable, leaked, a count that
// differs from the pointers found) whenever it holds one, so damage never disappears when zoomed
// out; otherwise the dominant class among the non-empty ones, faded towards the empty colour by
// the empty fraction, so a sparse region still shows what little it holds.

#include "core/thin/BlockMap.h"

#include <QRgb>
#include <QString>
#include <vector>

namespace dms {

enum class BlockMapColouring { Type, RefCount, Owner, DataSpace };

class BlockMapScheme {
public:
    struct ColourClass {
        QString name;
        QRgb colour = 0;
        bool alert = false;
    };

    static BlockMapScheme forType();
    static BlockMapScheme forRefCount();
    // One class per owning device (up to kMaxOwnerClasses, then "other devices").
    static BlockMapScheme forOwners(const BlockMap& map);
    static BlockMapScheme forDataSpace();
    static constexpr unsigned kMaxOwnerClasses = 24;

    BlockMapColouring colouring() const { return colouring_; }
    const std::vector<ColourClass>& classes() const { return classes_; }
    unsigned classCount() const { return static_cast<unsigned>(classes_.size()); }
    unsigned emptyClass() const { return empty_; }

    // The view sets the empty (free) colour from its palette, so dark themes stay dark.
    void setEmptyColour(QRgb c) { classes_[empty_].colour = c; }

    // The colour of a cell with these class counts; 0 (transparent) when it holds no block.
    QRgb colourOf(const std::uint32_t* counts) const;
    QRgb colourOfClass(unsigned c) const { return classes_[c].colour; }

private:
    BlockMapColouring colouring_ = BlockMapColouring::Type;
    std::vector<ColourClass> classes_;
    unsigned empty_ = 0;
};

} // namespace dms
