#pragma once
// The two modes of the metadata space map (the kernel's two operations tables): normal, and the
// bootstrap allocator used while the map is created or extended.

#include "core/spacemap/MetadataSpaceMap.h"

namespace dms {

class MetadataSpaceMap::Mode {
public:
    explicit Mode(MetadataSpaceMap& sm) : sm_(sm) {}
    virtual ~Mode() = default;
    virtual bool isBootstrap() const = 0;
    virtual Expected<std::uint64_t> nrFree() const = 0;
    virtual Expected<std::uint32_t> count(std::uint64_t b) = 0;
    virtual Expected<bool> countIsMoreThanOne(std::uint64_t b) = 0;
    virtual Status setCount(std::uint64_t b, std::uint32_t count) = 0;
    virtual Status inc(std::uint64_t b) = 0;
    virtual Status dec(std::uint64_t b) = 0;
    virtual Expected<std::uint64_t> newBlock() = 0;
    virtual Status commit() = 0;

protected:
    MetadataSpaceMap& sm_;
};

class MetadataSpaceMap::NormalMode final : public MetadataSpaceMap::Mode {
public:
    using Mode::Mode;
    bool isBootstrap() const override { return false; }
    Expected<std::uint64_t> nrFree() const override;
    Expected<std::uint32_t> count(std::uint64_t b) override;
    Expected<bool> countIsMoreThanOne(std::uint64_t b) override;
    Status setCount(std::uint64_t b, std::uint32_t count) override;
    Status inc(std::uint64_t b) override;
    Status dec(std::uint64_t b) override;
    Expected<std::uint64_t> newBlock() override;
    Status commit() override;
};

class MetadataSpaceMap::BootstrapMode final : public MetadataSpaceMap::Mode {
public:
    using Mode::Mode;
    bool isBootstrap() const override { return true; }
    Expected<std::uint64_t> nrFree() const override;
    Expected<std::uint32_t> count(std::uint64_t b) override;
    Expected<bool> countIsMoreThanOne(std::uint64_t) override { return false; }
    Status setCount(std::uint64_t b, std::uint32_t count) override;
    Status inc(std::uint64_t b) override;
    Status dec(std::uint64_t b) override;
    Expected<std::uint64_t> newBlock() override;
    Status commit() override { return Status::success(); }
};

} // namespace dms
