#include "views/edit/InPlaceEditOpener.h"

#include "models/edit/EditSession.h"

#include "core/FileBlockSource.h"
#include "core/devmapper/HelperClient.h"
#include "core/devmapper/LivePool.h"

namespace dms {

InPlaceEditOpener::InPlaceEditOpener(QWidget* parent, std::shared_ptr<DeviceMapper>& dm)
    : parent_(parent), dm_(dm) {
    ask_ = [this](const EditOpenProblem& p) {
        EditOpenProblemDialog dialog(p, parent_);
        dialog.exec();
        return dialog.choice();
    };
}

Expected<std::unique_ptr<EditSession>> InPlaceEditOpener::open(const QString& path) {
    auto session = EditSession::editInPlace(path, policy_);
    for (int attempt = 0; !session && attempt < 20; ++attempt) {
        EditOpenContext c = context_;
        if (!c.dm) c.dm = dm_.get();
        problems_.push_back(explainEditOpenFailure(path, session.error(), c));
        switch (ask_(problems_.back())) {
        case EditOpenProblemDialog::Choice::Cancel:
            return makeError(ErrorKind::Usage, "cancelled");
        case EditOpenProblemDialog::Choice::EditCopy:
            return editCopy(path);
        case EditOpenProblemDialog::Choice::UseHelper:
            session = openWithHelper(path);
            break;
        case EditOpenProblemDialog::Choice::TryAgain:
            session = dynamic_cast<HelperClient*>(dm_.get())
                          ? openWithHelper(path)
                          : EditSession::editInPlace(path, policy_);
            break;
        }
    }
    return session;
}

Expected<std::unique_ptr<EditSession>> InPlaceEditOpener::openWithHelper(const QString& path) {
    auto* helper = dynamic_cast<HelperClient*>(dm_.get());
    if (!helper) {
        auto started = HelperClient::start();
        if (!started) return started.takeError();
        helper = started->get();
        dm_ = std::shared_ptr<DeviceMapper>(std::move(*started));
    }
    auto src = helper->openSource(path.toStdString(), DeviceAccess::ReadWriteExclusive);
    if (!src) return src.takeError();
    return EditSession::editInPlace(std::shared_ptr<BlockSource>(std::move(*src)), path, policy_);
}

Expected<std::unique_ptr<EditSession>> InPlaceEditOpener::editCopy(const QString& path) {
    const std::string p = path.toStdString();
    if (!blockDeviceNumber(p)) return EditSession::editCopyOfFile(path, policy_);
    // A device may be live metadata: read it past the page cache.
    auto* helper = dynamic_cast<HelperClient*>(dm_.get());
    auto src = helper ? helper->openSource(p, DeviceAccess::ReadOnlyDirect)
                      : FileBlockSource::open(p, OpenMode::ReadOnlyDirect);
    if (!src) return src.takeError();
    return EditSession::editCopyOf(**src, path, false, policy_);
}

} // namespace dms
