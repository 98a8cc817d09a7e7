#pragma once
// Streams thin_dump XML (FORMAT.md §12) into callbacks: the superblock's attributes, each
// device, each single or range mapping. A small hand-written reader (no XML library in the core):
// elements, attributes with double or single quotes, comments and the XML declaration; anything
// else is an error naming the line.

#include "core/Expected.h"
#include "core/thin/DeviceDetails.h"

#include <functional>
#include <istream>

namespace dms {

struct ThinXmlSuperblock {
    std::uint32_t time = 0;
    std::uint64_t transaction = 0;
    std::uint32_t flags = 0;
    std::uint32_t version = 2;
    std::uint32_t dataBlockSize = 0;
    std::uint64_t nrDataBlocks = 0;
};

struct ThinXmlMapping {
    std::uint64_t originBegin = 0;
    std::uint64_t dataBegin = 0;
    std::uint64_t length = 1;
    std::uint32_t time = 0;
};

class ThinXmlHandler {
public:
    virtual ~ThinXmlHandler() = default;
    virtual Status superblock(const ThinXmlSuperblock& sb) = 0;
    virtual Status beginDevice(std::uint64_t id, const DeviceDetails& details) = 0;
    virtual Status mapping(const ThinXmlMapping& m) = 0;
    virtual Status endDevice() = 0;
    virtual Status endSuperblock() = 0;
};

Status readThinXml(std::istream& in, ThinXmlHandler& handler);

} // namespace dms
