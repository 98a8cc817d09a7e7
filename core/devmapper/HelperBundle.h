#pragma once
// The AppImage's helper bundle: dmscope-helper and the libraries it loads that the host does not
// provide, as one tar archive (packaging/make-helper-bundle.sh, built beside the helper). Its
// SHA-256 is compiled into dmscope and dmscope-cli (the object library dmscope_helper_bundle), so
// that what root runs from an AppImage is exactly what this build produced: see
// HelperLaunchScript.h and packaging/README.md.

#include "core/Expected.h"

#include <string>
#include <vector>

namespace dms {

inline constexpr const char* kHelperBundleName = "dmscope-helper.bundle";
// Where the bundle sits inside the AppDir.
inline constexpr const char* kHelperBundleInAppDir = "usr/libexec/dmscope/dmscope-helper.bundle";

// The bundle's SHA-256 (64 lowercase hex digits) compiled into this program; "" for programs
// built without it (tests, tools linking only the core).
const char* bakedHelperBundleSha256();

// $APPDIR/usr/libexec/dmscope/dmscope-helper.bundle when this process runs from an AppImage
// ($APPIMAGE and $APPDIR set by the AppImage runtime), else "".
std::string appImageHelperBundle();

// The bundle's bytes, refused unless their SHA-256 is `sha256` (the check done before asking for
// a password; root checks again on its side).
Expected<std::vector<char>> readVerifiedBundle(const std::string& path, const std::string& sha256);

} // namespace dms
