#pragma once
// The Qt application that `chart` and `frames` draw with (fonts and painting need one). A
// command-line tool needs no display: Qt's offscreen platform unless QT_QPA_PLATFORM says
// otherwise. Only in builds with the GUI.

namespace dms::cli {

// Creates it on first use; `command` prefixes Qt's messages ("dmscope-cli chart: ...").
void ensureOffscreenApplication(const char* command);

} // namespace dms::cli
