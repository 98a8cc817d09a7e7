#include "models/edit/TransactionHistory.h"

#include "core/CopyOnWriteBlockSource.h"
#include "core/Endian.h"
#include "core/MemoryBlockSource.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <algorithm>
#include <cstring>
#include <set>
#include <zstd.h>

namespace dms {
namespace {

constexpr char kMagic1[8] = {'D', 'M', 'S', 'H', 'I', 'S', 'T', '1'};
constexpr char kMagic[8] = {'D', 'M', 'S', 'H', 'I', 'S', 'T', '2'};
constexpr unsigned long long kMaxHistoryBytes = 4ull << 30;

Error historyError(const QString& path, const std::string& what) {
    Error e =
        makeError(ErrorKind::Corrupt, "transaction history " + path.toStdString() + ": " + what);
    return e;
}

} // namespace

Expected<std::shared_ptr<const BlockSource>>
TransactionHistory::stateAt(int k, std::shared_ptr<const BlockSource> latest) const {
    if (k < 0 || k > size())
        return makeError(ErrorKind::OutOfRange,
                         "no state " + std::to_string(k) + " (0.." + std::to_string(size()) + ")");
    auto view = std::make_shared<CopyOnWriteBlockSource>(std::move(latest));
    for (int t = size() - 1; t >= k; --t)
        for (const BlockChange& c : at(t).blocks)
            if (Status s = view->write(c.block, c.before.data()); !s) return s.error();
    return std::shared_ptr<const BlockSource>(view);
}

void TransactionHistory::prepend(TransactionHistory earlier) {
    earlier.transactions_.insert(earlier.transactions_.end(),
                                 std::make_move_iterator(transactions_.begin()),
                                 std::make_move_iterator(transactions_.end()));
    transactions_ = std::move(earlier.transactions_);
}

Expected<bool> TransactionHistory::endsAt(const BlockSource& source) const {
    std::set<std::uint64_t> checked;
    std::vector<std::uint8_t> buf(kBlockSize);
    for (int t = size() - 1; t >= 0; --t)
        for (const BlockChange& c : at(t).blocks) {
            if (!checked.insert(c.block).second) continue; // a later transaction wrote it
            if (c.block >= source.blockCount()) return false;
            if (Status s = source.read(c.block, buf.data()); !s) return s.error();
            if (std::memcmp(buf.data(), c.after.data(), kBlockSize) != 0) return false;
        }
    return true;
}

std::vector<std::uint64_t> TransactionHistory::blocksBetween(int a, int b) const {
    std::set<std::uint64_t> out;
    for (int t = std::min(a, b); t < std::max(a, b) && t < size(); ++t)
        for (const BlockChange& c : at(t).blocks)
            out.insert(c.block);
    return {out.begin(), out.end()};
}

Status TransactionHistory::save(const QString& path, const BlockSource* latest) const {
    QJsonArray txs;
    std::size_t nrImages = 0;
    for (const Transaction& t : transactions_) {
        QJsonArray blocks;
        for (const BlockChange& c : t.blocks)
            blocks.append(QJsonValue(static_cast<qint64>(c.block)));
        nrImages += 2 * t.blocks.size();
        QJsonObject o{{QStringLiteral("time"), t.time.toString(Qt::ISODateWithMs)},
                      {QStringLiteral("operations"), QJsonArray::fromStringList(t.operations)},
                      {QStringLiteral("commands"), QJsonArray::fromStringList(t.commands)},
                      {QStringLiteral("blocks"), blocks}};
        if (t.threshold) o.insert(QStringLiteral("threshold"), qint64(*t.threshold));
        txs.append(o);
    }
    const std::uint64_t imageBlocks = latest ? latest->blockCount() : 0;
    const QByteArray index =
        QJsonDocument(QJsonObject{{QStringLiteral("format"), 2},
                                  {QStringLiteral("image_blocks"), qint64(imageBlocks)},
                                  {QStringLiteral("transactions"), txs}})
            .toJson(QJsonDocument::Compact);
    std::vector<std::uint8_t> raw(16 + index.size() + (nrImages + imageBlocks) * kBlockSize);
    std::memcpy(raw.data(), kMagic, 8);
    storeLe64(raw.data() + 8, static_cast<std::uint64_t>(index.size()));
    std::memcpy(raw.data() + 16, index.constData(), index.size());
    std::uint8_t* p = raw.data() + 16 + index.size();
    for (const Transaction& t : transactions_)
        for (const BlockChange& c : t.blocks) {
            std::memcpy(p, c.before.data(), kBlockSize);
            std::memcpy(p + kBlockSize, c.after.data(), kBlockSize);
            p += 2 * kBlockSize;
        }
    for (std::uint64_t b = 0; b < imageBlocks; ++b, p += kBlockSize)
        if (Status s = latest->read(b, p); !s) return s;
    QByteArray packed(static_cast<qsizetype>(ZSTD_compressBound(raw.size())), Qt::Uninitialized);
    const std::size_t n = ZSTD_compress(packed.data(), packed.size(), raw.data(), raw.size(), 3);
    if (ZSTD_isError(n)) return historyError(path, ZSTD_getErrorName(n));
    packed.resize(static_cast<qsizetype>(n));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(packed) != packed.size() || !f.commit()) {
        Error e = makeError(ErrorKind::Io, "cannot write " + path.toStdString() + ": " +
                                               f.errorString().toStdString());
        return e;
    }
    return Status::success();
}

Expected<TransactionHistory> TransactionHistory::load(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        Error e = makeError(ErrorKind::Io, "cannot open " + path.toStdString() + ": " +
                                               f.errorString().toStdString());
        return e;
    }
    const QByteArray packed = f.readAll();
    const unsigned long long size = ZSTD_getFrameContentSize(packed.constData(), packed.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size < 16 ||
        size > kMaxHistoryBytes)
        return historyError(path, "not a sized zstd frame");
    std::vector<std::uint8_t> raw(size);
    const std::size_t n =
        ZSTD_decompress(raw.data(), raw.size(), packed.constData(), packed.size());
    if (ZSTD_isError(n) || n != size) return historyError(path, "cannot decompress");
    const bool format1 = std::memcmp(raw.data(), kMagic1, 8) == 0;
    if (!format1 && std::memcmp(raw.data(), kMagic, 8) != 0)
        return historyError(path, "bad magic (not a dmscope transaction history)");
    const std::uint64_t indexLen = loadLe64(raw.data() + 8);
    if (indexLen > size - 16) return historyError(path, "index length beyond the end");
    QJsonParseError perr;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(raw.data() + 16),
                                           static_cast<qsizetype>(indexLen)),
                                &perr);
    const int format = format1 ? 1 : 2;
    if (!doc.isObject() || doc.object().value(QStringLiteral("format")).toInt() != format)
        return historyError(path,
                            "index is not a format " + std::to_string(format) + " JSON object");
    const QJsonValue imageValue = doc.object().value(QStringLiteral("image_blocks"));
    const qint64 imageBlocks = imageValue.toInteger(-1);
    if (!format1 && (imageBlocks < 0 || std::uint64_t(imageBlocks) > size / kBlockSize))
        return historyError(path, imageBlocks < 0 ? "bad image_blocks in the index"
                                                  : "the metadata image ends early");
    const std::size_t imageBytes = format1 ? 0 : std::size_t(imageBlocks) * kBlockSize;
    TransactionHistory h;
    std::size_t offset = 16 + indexLen;
    for (const QJsonValue& v : doc.object().value(QStringLiteral("transactions")).toArray()) {
        const QJsonObject o = v.toObject();
        Transaction t;
        t.time =
            QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        for (const QJsonValue& s : o.value(QStringLiteral("operations")).toArray())
            t.operations << s.toString();
        for (const QJsonValue& s : o.value(QStringLiteral("commands")).toArray())
            t.commands << s.toString();
        if (const QJsonValue th = o.value(QStringLiteral("threshold")); !th.isUndefined()) {
            if (th.toInteger(-1) < 0)
                return historyError(path,
                                    "bad threshold (transaction " + std::to_string(h.size()) + ")");
            t.threshold = static_cast<std::uint64_t>(th.toInteger());
        }
        for (const QJsonValue& b : o.value(QStringLiteral("blocks")).toArray()) {
            if (b.toInteger(-1) < 0)
                return historyError(path, "bad block number (transaction " +
                                              std::to_string(h.size()) + ")");
            if (offset + 2 * kBlockSize + imageBytes > raw.size())
                return historyError(path, "block images end early (transaction " +
                                              std::to_string(h.size()) + ")");
            BlockChange c;
            c.block = static_cast<std::uint64_t>(b.toInteger());
            c.before.assign(raw.data() + offset, raw.data() + offset + kBlockSize);
            c.after.assign(raw.data() + offset + kBlockSize, raw.data() + offset + 2 * kBlockSize);
            offset += 2 * kBlockSize;
            t.blocks.push_back(std::move(c));
        }
        h.append(std::move(t));
    }
    if (offset + imageBytes != raw.size())
        return historyError(path, offset + imageBytes > raw.size()
                                      ? "the metadata image ends early"
                                      : "trailing bytes after the block images");
    if (imageBytes)
        h.image_ = std::make_shared<MemoryBlockSource>(
            std::vector<std::uint8_t>(raw.begin() + std::ptrdiff_t(offset), raw.end()), false,
            path.toStdString());
    return h;
}

} // namespace dms
