#include "models/BlockMapScheme.h"

#include <QColor>
#include <QCoreApplication>

namespace dms {
namespace {

QString tr(const char* s) {
    return QCoreApplication::translate("BlockMapScheme", s);
}

QRgb mix(QRgb a, QRgb b, double t) {
    auto ch = [t](int x, int y) { return static_cast<int>(x + (y - x) * t + 0.5); };
    return qRgb(ch(qRed(a), qRed(b)), ch(qGreen(a), qGreen(b)), ch(qBlue(a), qBlue(b)));
}

constexpr QRgb kDefaultEmpty = 0xffd8d8d8;

} // namespace

BlockMapScheme BlockMapScheme::forType() {
    BlockMapScheme s;
    s.colouring_ = BlockMapColouring::Type;
    // Indexed by BlockRole: tree families share a hue, internal nodes darker than leaves.
    const QRgb colours[kBlockRoleCount] = {
        kDefaultEmpty, 0xffffc400, 0xffff8f00, 0xffb388ff, 0xff8e5bd6, 0xff6a3fc4, 0xffef8a3a,
        0xffc05a1a,    0xffb0608f, 0xff00897b, 0xff4db6ac, 0xff1e4fa8, 0xff4f8fe0, 0xff2e7d32,
        0xff7cc47f,    0xffff4fa0, 0xffe00000, 0xffa8a000, 0xff707070};
    for (unsigned r = 0; r < kBlockRoleCount; ++r) {
        const auto role = static_cast<BlockRole>(r);
        const bool alert = role == BlockRole::Leaked || role == BlockRole::Unreadable ||
                           role == BlockRole::UnknownCount;
        s.classes_.push_back({QString::fromLatin1(blockRoleName(role)), colours[r], alert});
    }
    s.empty_ = static_cast<unsigned>(BlockRole::Free);
    return s;
}

BlockMapScheme BlockMapScheme::forRefCount() {
    BlockMapScheme s;
    s.colouring_ = BlockMapColouring::RefCount;
    s.classes_ = {{tr("count 0"), kDefaultEmpty, false},
                  {tr("count 1"), 0xff4caf50, false},
                  {tr("count 2"), 0xffc0ca33, false},
                  {tr("count 3"), 0xffffc107, false},
                  {tr("count 4-7"), 0xffff9800, false},
                  {tr("count 8-15"), 0xfff4511e, false},
                  {tr("count 16 or more"), 0xffb71c1c, false},
                  {tr("count unreadable"), 0xff808080, true},
                  {tr("count differs from pointers found"), 0xffff00ff, true}};
    s.empty_ = 0;
    return s;
}

BlockMapScheme BlockMapScheme::forOwners(const BlockMap& map) {
    BlockMapScheme s;
    s.colouring_ = BlockMapColouring::Owner;
    s.classes_ = {{tr("no thin device"), kDefaultEmpty, false},
                  {tr("shared by devices"), 0xffe0a030, false}};
    const auto& devices = map.ownerDevices();
    const std::size_t shown = std::min<std::size_t>(devices.size(), kMaxOwnerClasses);
    for (std::size_t i = 0; i < shown; ++i) {
        // Golden-angle hues: neighbours in id order get distant colours.
        const int hue = static_cast<int>((i * 137.508)) % 360;
        s.classes_.push_back(
            {tr("device %1").arg(devices[i]), QColor::fromHsv(hue, 170, 215).rgb(), false});
    }
    if (devices.size() > shown) s.classes_.push_back({tr("other devices"), 0xff9e9e9e, false});
    s.empty_ = 0;
    return s;
}

BlockMapScheme BlockMapScheme::forDataSpace() {
    BlockMapScheme s;
    s.colouring_ = BlockMapColouring::DataSpace;
    s.classes_ = {{tr("free"), kDefaultEmpty, false},
                  {tr("used once"), 0xff42a5f5, false},
                  {tr("shared by 2"), 0xffab47bc, false},
                  {tr("shared by 3 or more"), 0xffff8f00, false},
                  {tr("bitmap unreadable"), 0xffe00000, true}};
    s.empty_ = 0;
    return s;
}

QRgb BlockMapScheme::colourOf(const std::uint32_t* counts) const {
    std::uint64_t total = 0;
    unsigned dominant = empty_;
    std::uint32_t best = 0;
    bool alert = false;
    for (unsigned c = 0; c < classes_.size(); ++c) {
        total += counts[c];
        if (c == empty_ || counts[c] == 0) continue;
        const bool a = classes_[c].alert;
        if ((a && !alert) || (a == alert && counts[c] > best)) {
            dominant = c;
            best = counts[c];
            alert = alert || a;
        }
    }
    if (total == 0) return 0;
    if (dominant == empty_) return classes_[empty_].colour;
    if (alert) return classes_[dominant].colour;
    const double used = double(total - counts[empty_]) / double(total);
    return mix(classes_[empty_].colour, classes_[dominant].colour, 0.4 + 0.6 * used);
}

} // namespace dms
