#pragma once
// The part every cache and era check shares when it walks a dm-array or dm-bitset: errors of
// the walk become findings of one severity (fatal where cache_check / era_check 0.9.0 fail on
// them, warnings for structures 0.9.0 never walks), and every spine node and array block is
// counted as a reference for the space-map comparison.

#include "core/array/ArrayReader.h"
#include "core/check/MetadataCountCheck.h"

namespace dms {

Finding findingFromError(const Error& e, Severity severity, FindingCategory category);

class ArrayCheckVisitor : public ArrayVisitor {
public:
    ArrayCheckVisitor(CheckReport& report, MetadataCountCheck& counts, Severity severity)
        : report_(report), counts_(counts), severity_(severity) {}

    void spineNode(std::uint64_t block) override { counts_.ref(block); }
    void arrayBlock(std::uint64_t first, const ArrayBlock& block, std::uint32_t count) override {
        counts_.ref(block.number());
        values(first, block, count);
    }
    void error(const Error& e) override {
        ++errors_;
        report_.add(findingFromError(e, severity_, FindingCategory::Node));
    }
    // Only where the tools walk the array (fatal severity) does their quirk decide a verdict.
    void quirk(const Error& e) override {
        if (severity_ == Severity::Fatal) error(e);
    }
    void warning(const Error& e) override {
        report_.add(findingFromError(e, Severity::Warning, FindingCategory::Node));
    }
    std::size_t errors() const { return errors_; }

protected:
    // The values of one array block (checks on the values themselves).
    virtual void values(std::uint64_t, const ArrayBlock&, std::uint32_t) {}
    void report(Severity s, FindingCategory c, std::uint64_t block, std::string field,
                std::string path, std::string message) {
        Finding f;
        f.severity = s;
        f.category = c;
        f.block = block;
        f.field = std::move(field);
        f.path = std::move(path);
        f.message = std::move(message);
        report_.add(std::move(f));
    }

    CheckReport& report_;
    MetadataCountCheck& counts_;
    Severity severity_;
    std::size_t errors_ = 0;
};

} // namespace dms
