#include "models/DemoPool.h"

#include "resources/ResourceInit.h"

#include <QFile>
#include <zstd.h>

namespace dms {
namespace {

constexpr const char* kResource = ":/demo/pool-b-msnap.img.zst";
// The demo is an 8 MiB image; refuse anything claiming to be far larger (a broken build).
constexpr unsigned long long kMaxDemoBytes = 64ull << 20;

} // namespace

Expected<std::shared_ptr<MemoryBlockSource>> DemoPool::load() {
    initResources();
    QFile f(QString::fromLatin1(kResource));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, std::string("the demo pool resource ") + kResource +
                                            " is missing from this build");
    const QByteArray packed = f.readAll();
    const unsigned long long size = ZSTD_getFrameContentSize(packed.constData(), packed.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxDemoBytes)
        return makeError(ErrorKind::Corrupt, "the demo pool resource is not a sized zstd frame");
    std::vector<std::uint8_t> bytes(size);
    const std::size_t n =
        ZSTD_decompress(bytes.data(), bytes.size(), packed.constData(), packed.size());
    if (ZSTD_isError(n) || n != size)
        return makeError(ErrorKind::Corrupt,
                         std::string("cannot decompress the demo pool: ") +
                             (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short output"));
    return std::make_shared<MemoryBlockSource>(std::move(bytes), false, kDisplayName);
}

} // namespace dms
