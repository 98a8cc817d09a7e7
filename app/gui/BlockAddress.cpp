#include "app/gui/BlockAddress.h"

#include <QRegularExpression>

namespace dms {

std::optional<BlockRef> parseBlockAddress(const QString& text, BlockSpace bareNumber) {
    static const QRegularExpression form(
        QStringLiteral(
            "^\\s*(?:(m|meta|metadata|d|data)\\s*[:\\s]?\\s*)?(0x[0-9a-f]+|[0-9]+)\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = form.match(text);
    if (!match.hasMatch()) return std::nullopt;
    const QString prefix = match.captured(1).toLower();
    const QString digits = match.captured(2).toLower();
    bool ok = false;
    const quint64 value = digits.startsWith(QLatin1String("0x"))
                              ? digits.mid(2).toULongLong(&ok, 16)
                              : digits.toULongLong(&ok, 10);
    if (!ok) return std::nullopt;
    BlockSpace space = bareNumber;
    if (!prefix.isEmpty())
        space = prefix.startsWith(QLatin1Char('d')) ? BlockSpace::Data : BlockSpace::Metadata;
    return BlockRef{space, value};
}

} // namespace dms
