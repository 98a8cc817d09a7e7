#include "app/cli/EditOperations.h"

#include "app/cli/CliArgs.h"

#include "core/thin/SpaceMapRebuilder.h"

#include <ostream>
#include <sstream>

namespace dms::cli {
namespace {

struct Spec {
    const char* name;
    const char* synopsis;
    std::size_t required; // numeric arguments
    std::size_t optional;
    bool target; // takes "meta|data" first
    bool expert;
};

const std::vector<Spec>& specs() {
    static const std::vector<Spec> s = {
        {"create-thin", "ID", 1, 0, false, false},
        {"create-snap", "ID ORIGIN", 2, 0, false, false},
        {"delete", "ID", 1, 0, false, false},
        {"map", "ID VBLOCK DBLOCK [LEN]", 3, 1, false, false},
        {"provision", "ID VBLOCK", 2, 0, false, false},
        {"unmap", "ID VBLOCK [LEN]", 2, 1, false, false},
        {"set-transaction-id", "N", 1, 0, false, false},
        {"set-needs-check", "", 0, 0, false, false},
        {"clear-needs-check", "", 0, 0, false, false},
        {"reserve-metadata-snap", "", 0, 0, false, false},
        {"release-metadata-snap", "", 0, 0, false, false},
        {"extend-metadata", "N", 1, 0, false, false},
        {"extend-data", "N", 1, 0, false, false},
        {"commit", "", 0, 0, false, false},
        {"rebuild-space-maps", "", 0, 0, false, false},
        {"set-count", "meta|data BLOCK N", 2, 0, true, true},
        {"inc", "meta|data BLOCK", 1, 0, true, true},
        {"dec", "meta|data BLOCK", 1, 0, true, true},
    };
    return s;
}

const Spec* findSpec(const std::string& name) {
    for (const auto& s : specs())
        if (name == s.name) return &s;
    return nullptr;
}

} // namespace

const std::vector<std::pair<std::string, std::string>>& editOperationSynopses() {
    static std::vector<std::pair<std::string, std::string>> out;
    if (out.empty())
        for (const auto& s : specs())
            out.emplace_back(s.name, s.synopsis);
    return out;
}

std::string EditOperation::describe() const {
    std::ostringstream s;
    s << name;
    if (!target.empty()) s << ' ' << target;
    for (auto n : numbers)
        s << ' ' << n;
    return s.str();
}

Expected<std::vector<EditOperation>> parseEditOperations(const std::vector<std::string>& words) {
    std::vector<EditOperation> ops;
    std::size_t i = 0;
    while (i < words.size()) {
        const Spec* spec = findSpec(words[i]);
        if (!spec) return makeError(ErrorKind::Usage, "unknown edit operation '" + words[i] + "'");
        EditOperation op;
        op.name = spec->name;
        ++i;
        if (spec->target) {
            if (i >= words.size() || (words[i] != "meta" && words[i] != "data"))
                return makeError(ErrorKind::Usage, op.name + " needs 'meta' or 'data' first");
            op.target = words[i++];
        }
        for (std::size_t k = 0; k < spec->required + spec->optional; ++k) {
            if (i >= words.size() || findSpec(words[i])) {
                if (k < spec->required)
                    return makeError(ErrorKind::Usage,
                                     op.name + " " + spec->synopsis + ": missing argument");
                break;
            }
            auto n = parseUnsigned(words[i++], op.name);
            if (!n) return n.takeError();
            op.numbers.push_back(*n);
        }
        ops.push_back(std::move(op));
    }
    if (ops.empty()) return makeError(ErrorKind::Usage, "no edit operation given");
    return ops;
}

Status applyEditOperation(ThinPoolEditor& ed, const EditOperation& op, std::ostream& warn) {
    const auto& n = op.numbers;
    auto arg = [&](std::size_t k, std::uint64_t dflt = 0) { return k < n.size() ? n[k] : dflt; };
    if (const Spec* spec = findSpec(op.name); spec && spec->expert)
        warn << "warning: '" << op.describe()
             << "' changes a reference count directly and may leave the metadata inconsistent\n";
    if (op.name == "create-thin") return ed.createThin(arg(0));
    if (op.name == "create-snap") return ed.createSnapshot(arg(0), arg(1));
    if (op.name == "delete") return ed.deleteDevice(arg(0));
    if (op.name == "map") return ed.map(arg(0), arg(1), arg(2), arg(3, 1));
    if (op.name == "provision") {
        auto b = ed.provision(arg(0), arg(1));
        return b ? Status::success() : Status(b.error());
    }
    if (op.name == "unmap") return ed.unmap(arg(0), arg(1), arg(2, 1));
    if (op.name == "set-transaction-id") return ed.setTransactionId(arg(0));
    if (op.name == "set-needs-check") {
        ed.setNeedsCheck(true);
        return Status::success();
    }
    if (op.name == "clear-needs-check") {
        ed.setNeedsCheck(false);
        return Status::success();
    }
    if (op.name == "reserve-metadata-snap") return ed.reserveMetadataSnapshot();
    if (op.name == "release-metadata-snap") return ed.releaseMetadataSnapshot();
    if (op.name == "extend-metadata") return ed.extendMetadata(arg(0));
    if (op.name == "extend-data") return ed.extendData(arg(0));
    if (op.name == "commit") return ed.commit();
    if (op.name == "rebuild-space-maps") {
        auto r = SpaceMapRebuilder(ed).run();
        if (!r) return r.error();
        warn << "rebuild-space-maps: " << r->metadataBlocksChanged << " metadata and "
             << r->dataBlocksChanged << " data block counts corrected\n";
        return Status::success();
    }
    SpaceMap& sm = op.target == "meta" ? ed.metadataSpaceMap() : ed.dataSpaceMap();
    if (op.name == "set-count") return sm.setCount(arg(0), static_cast<std::uint32_t>(arg(1)));
    if (op.name == "inc") return sm.inc(arg(0));
    if (op.name == "dec") return sm.dec(arg(0));
    return makeError(ErrorKind::Usage, "unknown edit operation '" + op.name + "'");
}

} // namespace dms::cli
