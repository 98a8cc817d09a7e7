#include "models/charts/TransactionFigures.h"

#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"

#include <QFileInfo>

namespace dms {
namespace {

struct FreeCount {
    std::uint64_t blocks = 0;
    std::uint64_t free = 0;
};

Expected<FreeCount> countFree(const ThinMetadata& md, const SpaceMapRoot& root, SpaceMapKind kind) {
    auto sm = SpaceMapReader::open(md.reader(), root, kind);
    if (!sm) return sm.takeError();
    auto allocated = sm->countAllocated();
    if (!allocated) return allocated.takeError();
    return FreeCount{sm->nrBlocks(), sm->nrBlocks() - std::min(*allocated, sm->nrBlocks())};
}

std::string stateProblem(int k, const std::string& what) {
    std::string s = "state ";
    s.append(std::to_string(k)).append(": ").append(what);
    return s;
}

} // namespace

TransactionFigures TransactionFigures::compute(const TransactionHistory& history,
                                               std::shared_ptr<const BlockSource> latest,
                                               const QString& name,
                                               const std::atomic<bool>* cancel) {
    TransactionFigures f;
    f.name = name;
    for (int k = 0; k <= history.size(); ++k) {
        if (cancel && cancel->load(std::memory_order_relaxed)) return {};
        TransactionState st;
        st.index = k;
        if (k > 0) {
            const Transaction& t = history.at(k - 1);
            st.time = t.time;
            st.operations = t.operations.join(QStringLiteral("; "));
            st.threshold = t.threshold;
        } else if (history.size() > 0) {
            st.threshold = history.at(0).threshold;
        }
        auto source = history.stateAt(k, latest);
        auto md = source ? ThinMetadata::open(*source)
                         : Expected<std::shared_ptr<ThinMetadata>>(source.error());
        if (!md) {
            f.problems.push_back(stateProblem(k, md.error().describe()));
        } else {
            const ThinSuperblock& sb = (*md)->superblock();
            if (auto m = countFree(**md, sb.metadataSpaceMap, SpaceMapKind::Metadata)) {
                st.metadataBlocks = m->blocks;
                st.metadataFree = m->free;
            } else {
                f.problems.push_back(
                    stateProblem(k, "metadata space map: " + m.error().describe()));
            }
            if (auto d = countFree(**md, sb.dataSpaceMap, SpaceMapKind::Data)) {
                st.dataBlocks = d->blocks;
                st.dataFree = d->free;
            } else {
                f.problems.push_back(stateProblem(k, "data space map: " + d.error().describe()));
            }
        }
        f.states.push_back(std::move(st));
    }
    return f;
}

Expected<TransactionHistory> loadChartableHistory(const QString& path) {
    auto h = TransactionHistory::load(path);
    if (!h) return h.takeError();
    if (!h->image()) {
        std::string why = "transaction history ";
        why.append(path.toStdString())
            .append(": holds no metadata image (saved in format 1); save it again from dmscope");
        return makeError(ErrorKind::Unsupported, why);
    }
    return h;
}

Expected<TransactionFigures> TransactionFigures::fromFile(const QString& path) {
    auto h = loadChartableHistory(path);
    if (!h) return h.takeError();
    return compute(*h, h->image(), QFileInfo(path).fileName());
}

} // namespace dms
