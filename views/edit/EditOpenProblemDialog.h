#pragma once
// Why a file or device cannot be edited in place and what to do (EditOpenProblem): the holder
// (e.g. the active thin pool's dm name), the exact commands that free it (selectable, with a Copy
// button), and the ways on: Try Again (after running them), As Administrator (the privileged
// helper, when a device needs root), Edit a Copy Instead, Cancel.

#include "models/edit/EditOpenProblem.h"

#include <QDialog>

class QPushButton;

namespace dms {

class EditOpenProblemDialog : public QDialog {
    Q_OBJECT
public:
    enum class Choice { Cancel, TryAgain, UseHelper, EditCopy };

    explicit EditOpenProblemDialog(const EditOpenProblem& problem, QWidget* parent = nullptr);

    Choice choice() const { return choice_; }
    // The buttons, for tests: nullptr when not offered.
    QPushButton* button(Choice c) const;
    QString text() const; // everything shown, as plain text

private:
    void choose(Choice c);

    EditOpenProblem problem_;
    Choice choice_ = Choice::Cancel;
    QPushButton* buttons_[4] = {};
};

} // namespace dms
