#include "models/edit/EditOperationParser.h"

namespace dms {
namespace {

struct Form {
    const char* word;
    EditOperation::Kind kind;
    int minArgs;
    int maxArgs;
    const char* usage;
};

const Form kForms[] = {
    {"create-thin", EditOperation::Kind::CreateThin, 1, 1, "create-thin ID"},
    {"create-snap", EditOperation::Kind::CreateSnapshot, 2, 2, "create-snap ID ORIGIN"},
    {"delete", EditOperation::Kind::Delete, 1, 1, "delete ID"},
    {"map", EditOperation::Kind::Map, 3, 4, "map ID VBLOCK DBLOCK [LEN]"},
    {"unmap", EditOperation::Kind::Unmap, 2, 3, "unmap ID VBLOCK [LEN]"},
    {"provision", EditOperation::Kind::Provision, 2, 2, "provision ID VBLOCK"},
    {"set-transaction-id", EditOperation::Kind::SetTransactionId, 1, 1, "set-transaction-id N"},
    {"set-needs-check", EditOperation::Kind::SetNeedsCheck, 0, 0, "set-needs-check"},
    {"clear-needs-check", EditOperation::Kind::ClearNeedsCheck, 0, 0, "clear-needs-check"},
    {"reserve-metadata-snap", EditOperation::Kind::ReserveMetadataSnap, 0, 0,
     "reserve-metadata-snap"},
    {"release-metadata-snap", EditOperation::Kind::ReleaseMetadataSnap, 0, 0,
     "release-metadata-snap"},
    {"extend-metadata", EditOperation::Kind::ExtendMetadata, 1, 1, "extend-metadata BLOCKS"},
    {"extend-data", EditOperation::Kind::ExtendData, 1, 1, "extend-data BLOCKS"},
};

} // namespace

QStringList editOperationWords() {
    QStringList words;
    for (const Form& f : kForms)
        words << QString::fromLatin1(f.word);
    return words;
}

Expected<EditOperation> parseEditOperation(const QString& text) {
    const QStringList parts = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.isEmpty()) return makeError(ErrorKind::Usage, "no operation given");
    for (const Form& f : kForms) {
        if (parts.first() != QLatin1String(f.word)) continue;
        const int n = int(parts.size()) - 1;
        if (n < f.minArgs || n > f.maxArgs)
            return makeError(ErrorKind::Usage,
                             QStringLiteral("usage: %1").arg(QLatin1String(f.usage)).toStdString());
        std::uint64_t v[4] = {0, 0, 0, 1};
        for (int i = 0; i < n; ++i) {
            bool ok = false;
            v[i] = parts[i + 1].toULongLong(&ok, 0);
            if (!ok)
                return makeError(ErrorKind::Usage,
                                 QStringLiteral("\"%1\" is not a number (usage: %2)")
                                     .arg(parts[i + 1], QLatin1String(f.usage))
                                     .toStdString());
        }
        EditOperation op;
        op.kind = f.kind;
        op.a = v[0];
        op.b = v[1];
        op.c = v[2];
        op.d = 1;
        if (f.kind == EditOperation::Kind::Map) op.d = n == 4 ? v[3] : 1;
        if (f.kind == EditOperation::Kind::Unmap) op.d = n == 3 ? v[2] : 1, op.c = 0;
        return op;
    }
    return makeError(ErrorKind::Usage,
                     "unknown operation \"" + parts.first().toStdString() + "\"; one of: " +
                         editOperationWords().join(QStringLiteral(", ")).toStdString());
}

} // namespace dms
