#include "tests/cacheera/EraDumpParser.h"

#include <QList>

namespace dms::test {
namespace {

// The value of attribute `name` in one line, e.g. attr(line, "era").
std::optional<std::uint32_t> attr(const QByteArray& line, const char* name) {
    const QByteArray key = QByteArray(" ") + name + "=\"";
    const qsizetype at = line.indexOf(key);
    if (at < 0) return std::nullopt;
    const qsizetype begin = at + key.size();
    const qsizetype end = line.indexOf('"', begin);
    bool ok = false;
    const std::uint32_t v = line.mid(begin, end - begin).toUInt(&ok);
    if (!ok) return std::nullopt;
    return v;
}

} // namespace

std::optional<EraPoolSpec> parseEraDump(const QByteArray& xml) {
    EraPoolSpec spec;
    EraWritesetSpec* ws = nullptr;
    for (const QByteArray& raw : xml.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty()) continue;
        if (line.startsWith("<superblock ")) {
            auto bs = attr(line, "block_size"), nb = attr(line, "nr_blocks"),
                 ce = attr(line, "current_era");
            if (!bs || !nb || !ce) return std::nullopt;
            spec.blockSize = *bs;
            spec.nrBlocks = *nb;
            spec.currentEra = *ce;
            spec.eras.assign(spec.nrBlocks, 0);
        } else if (line.startsWith("<writeset ")) {
            auto era = attr(line, "era"), n = attr(line, "nr_bits");
            if (!era || !n) return std::nullopt;
            spec.writesets.push_back({*era, *n, std::vector<bool>(*n, false)});
            ws = &spec.writesets.back();
        } else if (line.startsWith("<bit ")) {
            auto b = attr(line, "block");
            if (!ws || !b || *b >= ws->nrBits) return std::nullopt;
            ws->bits[*b] = line.contains("value=\"true\"");
        } else if (line.startsWith("<era ")) {
            auto b = attr(line, "block"), era = attr(line, "era");
            if (!b || !era || *b >= spec.nrBlocks) return std::nullopt;
            spec.eras[*b] = *era;
        } else if (line == "</writeset>") {
            ws = nullptr;
        } else if (line != "<era_array>" && line != "</era_array>" && line != "</superblock>") {
            return std::nullopt;
        }
    }
    return spec;
}

} // namespace dms::test
