#pragma once
// The data space map of an opened pool as block-map classes (see BitmapClassSource). Each bitmap
// is validated the first time it is needed and read without copying after that; the verdict is
// kept per bitmap (one byte each) so that the worker building the pyramid and the UI thread can
// share it.

#include "core/spacemap/SpaceMapReader.h"
#include "models/BitmapClassSource.h"

#include <atomic>
#include <memory>

namespace dms {

class ThinPoolDocument;

class DataSpaceClassSource : public BitmapClassSource {
public:
    // The live superblock's data space map (a held copy stores none). Fails when its index
    // cannot be read.
    static Expected<std::shared_ptr<DataSpaceClassSource>>
    open(std::shared_ptr<const ThinPoolDocument> doc);

    Block bitmap(std::uint64_t i) const override;
    // Counts of 3 and more, from the refcount tree.
    std::optional<std::uint32_t> exactValue(std::uint64_t b) const override;

    // The exact reference count of data block b (counts of 3 and more from the refcount tree).
    Expected<std::uint32_t> exactCount(std::uint64_t b) const { return reader_.count(b); }
    // Why bitmap i cannot be read (empty when it can).
    std::string bitmapError(std::uint64_t i) const;
    const SpaceMapReader& reader() const { return reader_; }

private:
    DataSpaceClassSource(std::shared_ptr<const ThinPoolDocument> doc, SpaceMapReader reader);

    std::shared_ptr<const ThinPoolDocument> doc_;
    SpaceMapReader reader_;
    enum : std::uint8_t { Unchecked, Good, Bad };
    std::unique_ptr<std::atomic<std::uint8_t>[]> verdicts_;
};

} // namespace dms
