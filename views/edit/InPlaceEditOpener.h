#pragma once
// File > Open for Editing: opens a file or device for editing in place (EditSession::editInPlace,
// O_RDWR|O_EXCL); when that fails it explains why (EditOpenProblemDialog, or a replaceable ask
// function) and does what the user picks: try again, open it through the privileged helper
// (dmscope-helper, kept in the window's device-mapper slot for later), edit a copy instead (a
// device is copied with O_DIRECT, as the kernel's writes bypass the page cache), or nothing.

#include "models/edit/EditOpenProblem.h"
#include "views/edit/EditOpenProblemDialog.h"

#include "core/Expected.h"
#include "core/spacemap/AllocationPolicy.h"

#include <functional>
#include <memory>
#include <optional>

class QWidget;

namespace dms {

class DeviceMapper;
class EditSession;

class InPlaceEditOpener {
public:
    using Ask = std::function<EditOpenProblemDialog::Choice(const EditOpenProblem&)>;

    // `dm`: the window's device-mapper connection (null: libdevmapper when root); a helper
    // started here is stored into it.
    InPlaceEditOpener(QWidget* parent, std::shared_ptr<DeviceMapper>& dm);

    void setAsk(Ask ask) { ask_ = std::move(ask); }                 // default: the dialog
    void setContext(EditOpenContext c) { context_ = std::move(c); } // tests: recorded devices
    void setPolicy(AllocationPolicyKind p) { policy_ = p; }

    // The session, in place or (when chosen) over a copy; ErrorKind::Usage "cancelled" when the
    // user gave up. Problems met on the way are in problems().
    Expected<std::unique_ptr<EditSession>> open(const QString& path);
    const std::vector<EditOpenProblem>& problems() const { return problems_; }

private:
    Expected<std::unique_ptr<EditSession>> openWithHelper(const QString& path);
    Expected<std::unique_ptr<EditSession>> editCopy(const QString& path);

    QWidget* parent_;
    std::shared_ptr<DeviceMapper>& dm_;
    Ask ask_;
    EditOpenContext context_;
    AllocationPolicyKind policy_ = AllocationPolicyKind::Reference;
    std::vector<EditOpenProblem> problems_;
};

} // namespace dms
