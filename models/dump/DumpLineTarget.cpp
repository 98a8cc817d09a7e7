#include "models/dump/DumpLineTarget.h"

#include <QRegularExpression>

namespace dms {
namespace {

std::optional<std::uint64_t> number(const QRegularExpressionMatch& m) {
    if (!m.hasMatch()) return std::nullopt;
    bool ok = false;
    const std::uint64_t v = m.captured(1).toULongLong(&ok);
    if (!ok) return std::nullopt;
    return v;
}

} // namespace

std::optional<DumpLineTarget> DumpLineTarget::parse(const QString& line) {
    // xml
    static const QRegularExpression single(
        QStringLiteral(R"re(<single_mapping .*data_block="(\d+)")re"));
    static const QRegularExpression range(
        QStringLiteral(R"re(<range_mapping .*data_begin="(\d+)")re"));
    static const QRegularExpression device(QStringLiteral(R"re(<device dev_id="(\d+)")re"));
    // human_readable: "    (v..w) -> (d..e), t", "    v -> d, t", "device: N"
    static const QRegularExpression hRange(
        QStringLiteral(R"re(^\s+\(\d+\.\.\d+\) -> \((\d+)\.\.)re"));
    static const QRegularExpression hSingle(QStringLiteral(R"re(^\s+\d+ -> (\d+),)re"));
    static const QRegularExpression hDevice(QStringLiteral(R"re(^device: (\d+)$)re"));
    for (const auto* re : {&single, &range, &hRange, &hSingle})
        if (auto v = number(re->match(line))) return DumpLineTarget{Kind::DataBlock, *v};
    for (const auto* re : {&device, &hDevice})
        if (auto v = number(re->match(line))) return DumpLineTarget{Kind::Device, *v};
    return std::nullopt;
}

} // namespace dms
