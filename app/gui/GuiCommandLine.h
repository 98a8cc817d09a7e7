#pragma once
// dmscope's command line: dmscope [PATH] [--metadata-snap] [--demo] [--edit | --edit-in-place]
// [--block BLOCK] [--view VIEW] [--screenshot FILE]. --edit always edits a copy; --edit-in-place
// (PATH only) edits PATH itself, written only at Commit.

#include "core/Expected.h"

#include <QString>
#include <QStringList>

namespace dms {

struct GuiOptions {
    QString path;              // image or device to open; empty: none
    bool demo = false;         // open the bundled demo pool
    bool metadataSnap = false; // show the held metadata snapshot's copy
    QString screenshot;        // save a picture of the window there, then quit
    QString block;             // a block to select once open ("37", "d 1200")
    QString view;              // the tab to start on ("blockmap", ...); empty: overview
    bool edit = false;         // start editing a copy
    bool editInPlace = false;  // open PATH for editing in place instead of read-only
    bool help = false;
    bool version = false;
    QString helpText;
    QString versionText;
};

// args as QCoreApplication::arguments(): args[0] is the program. Errors are ErrorKind::Usage.
Expected<GuiOptions> parseGuiCommandLine(const QStringList& args);

} // namespace dms
