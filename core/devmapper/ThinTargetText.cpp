#include "core/devmapper/ThinTargetText.h"

#include <charconv>
#include <sstream>

namespace dms {
namespace {

std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> w;
    for (std::string x; in >> x;)
        w.push_back(x);
    return w;
}

bool toU64(const std::string& s, std::uint64_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

bool fraction(const std::string& s, std::uint64_t& used, std::uint64_t& total) {
    const auto slash = s.find('/');
    return slash != std::string::npos && toU64(s.substr(0, slash), used) &&
           toU64(s.substr(slash + 1), total);
}

Error bad(const char* what, const std::string& text, const std::string& why) {
    return makeError(ErrorKind::Corrupt,
                     std::string("cannot parse ") + what + " '" + text + "': " + why);
}

} // namespace

const char* poolModeName(PoolMode m) {
    switch (m) {
    case PoolMode::ReadWrite:
        return "rw";
    case PoolMode::ReadOnly:
        return "ro";
    case PoolMode::OutOfDataSpace:
        return "out_of_data_space";
    case PoolMode::Fail:
        return "Fail";
    case PoolMode::Error:
        return "Error";
    }
    return "?";
}

Expected<ThinPoolTable> parseThinPoolTable(const std::string& params) {
    const auto w = words(params);
    const char* what = "thin-pool table";
    if (w.size() < 5) return bad(what, params, "fewer than 5 fields");
    ThinPoolTable t;
    std::uint64_t bs = 0, nrFeatures = 0;
    if (!parseDevNo(w[0], t.metadataDev)) return bad(what, params, "metadata device " + w[0]);
    if (!parseDevNo(w[1], t.dataDev)) return bad(what, params, "data device " + w[1]);
    if (!toU64(w[2], bs) || bs == 0 || bs > 0xffffffffu)
        return bad(what, params, "data block size " + w[2]);
    t.dataBlockSectors = static_cast<std::uint32_t>(bs);
    if (!toU64(w[3], t.lowWaterMark)) return bad(what, params, "low water mark " + w[3]);
    if (!toU64(w[4], nrFeatures) || nrFeatures != w.size() - 5)
        return bad(what, params, "feature count " + w[4]);
    t.features.assign(w.begin() + 5, w.end());
    return t;
}

Expected<ThinPoolStatus> parseThinPoolStatus(const std::string& status) {
    const auto w = words(status);
    const char* what = "thin-pool status";
    ThinPoolStatus s;
    s.text = status;
    if (w.size() == 1 && (w[0] == "Fail" || w[0] == "Error")) {
        s.mode = w[0] == "Fail" ? PoolMode::Fail : PoolMode::Error;
        return s;
    }
    if (w.size() < 5) return bad(what, status, "fewer than 5 fields");
    if (!toU64(w[0], s.transactionId)) return bad(what, status, "transaction id " + w[0]);
    if (!fraction(w[1], s.usedMetadataBlocks, s.totalMetadataBlocks))
        return bad(what, status, "metadata blocks " + w[1]);
    if (!fraction(w[2], s.usedDataBlocks, s.totalDataBlocks))
        return bad(what, status, "data blocks " + w[2]);
    if (w[3] != "-") {
        std::uint64_t root = 0;
        if (!toU64(w[3], root)) return bad(what, status, "held root " + w[3]);
        s.heldRoot = root;
    }
    if (w[4] == "rw")
        s.mode = PoolMode::ReadWrite;
    else if (w[4] == "ro")
        s.mode = PoolMode::ReadOnly;
    else if (w[4] == "out_of_data_space")
        s.mode = PoolMode::OutOfDataSpace;
    else
        return bad(what, status, "mode " + w[4]);
    // The remaining fields are flags whose spelling says what they are; older kernels omit some.
    for (std::size_t i = 5; i < w.size(); ++i) {
        const std::string& f = w[i];
        std::uint64_t n = 0;
        if (f == "discard_passdown")
            s.discardPassdown = true;
        else if (f == "no_discard_passdown" || f == "ignore_discard")
            s.discardPassdown = false;
        else if (f == "error_if_no_space")
            s.errorIfNoSpace = true;
        else if (f == "queue_if_no_space")
            s.errorIfNoSpace = false;
        else if (f == "needs_check")
            s.needsCheck = true;
        else if (f == "-")
            continue;
        else if (i == w.size() - 1 && toU64(f, n))
            s.metadataLowWatermark = n;
        else
            return bad(what, status, "field " + f);
    }
    return s;
}

Expected<ThinTable> parseThinTable(const std::string& params) {
    const auto w = words(params);
    const char* what = "thin table";
    if (w.size() != 2 && w.size() != 3) return bad(what, params, "expected 2 or 3 fields");
    ThinTable t;
    if (!parseDevNo(w[0], t.poolDev)) return bad(what, params, "pool device " + w[0]);
    if (!toU64(w[1], t.deviceId) || t.deviceId >= (1u << 24))
        return bad(what, params, "device id " + w[1]);
    if (w.size() == 3) {
        DevNo origin;
        if (!parseDevNo(w[2], origin)) return bad(what, params, "external origin " + w[2]);
        t.externalOrigin = origin;
    }
    return t;
}

Expected<ThinStatus> parseThinStatus(const std::string& status) {
    const auto w = words(status);
    ThinStatus s;
    if (w.size() == 1 && w[0] == "Fail") {
        s.failed = true;
        return s;
    }
    if (w.size() != 2) return bad("thin status", status, "expected 2 fields");
    if (!toU64(w[0], s.mappedSectors)) return bad("thin status", status, "mapped " + w[0]);
    if (w[1] != "-") {
        std::uint64_t h = 0;
        if (!toU64(w[1], h)) return bad("thin status", status, "highest mapped " + w[1]);
        s.highestMappedSector = h;
    }
    return s;
}

} // namespace dms
