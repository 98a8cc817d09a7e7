#include "app/gui/EditTab.h"

#include "models/edit/EditOperationParser.h"
#include "models/edit/EditSession.h"
#include "views/edit/EditModePanel.h"

#include <QCompleter>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace dms {

EditTab::EditTab(QWidget* parent)
    : QWidget(parent), input_(new QLineEdit(this)), message_(new QLabel(this)),
      title_(new QLabel(this)), saveHistory_(new QPushButton(tr("Save History…"), this)),
      panel_(new EditModePanel(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    input_->setPlaceholderText(tr("operation, e.g. create-snap 100 1 · map 1 0 500 16 · delete 2"));
    input_->setCompleter(new QCompleter(editOperationWords(), input_));
    auto* add = new QPushButton(tr("Add"), this);
    row->addWidget(new QLabel(tr("Add operation:"), this));
    row->addWidget(input_, 1);
    row->addWidget(add);
    saveHistory_->setToolTip(tr("Save the committed transactions as a transaction history (for "
                                "the transactions chart and frames, here or in dmscope-cli)"));
    saveHistory_->setEnabled(false);
    auto* titleRow = new QHBoxLayout;
    titleRow->addWidget(title_, 1);
    titleRow->addWidget(saveHistory_);
    layout->addLayout(titleRow);
    layout->addLayout(row);
    layout->addWidget(message_);
    layout->addWidget(panel_, 1);
    message_->setWordWrap(true);
    connect(add, &QPushButton::clicked, this, [this] { addOperation(input_->text()); });
    connect(input_, &QLineEdit::returnPressed, this, [this] { addOperation(input_->text()); });
    connect(saveHistory_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save transaction history"), QStringLiteral("history.dmshist"),
            tr("Transaction histories (*.dmshist);;All files (*)"));
        if (!path.isEmpty()) saveHistory(path);
    });
    setEnabled(false);
}

EditTab::~EditTab() {
    panel_->setSession(nullptr);
}

void EditTab::setSelection(BlockSelection* selection) {
    selection_ = selection;
    panel_->setSelection(selection);
}

void EditTab::setSession(std::unique_ptr<EditSession> session) {
    panel_->setSession(nullptr);
    session_ = std::move(session);
    panel_->setSession(session_.get());
    setEnabled(session_ != nullptr);
    message_->clear();
    if (!session_) {
        title_->clear();
        saveHistory_->setEnabled(false);
        return;
    }
    title_->setText(tr("<b>Editing a copy of %1</b> — %2. Nothing reaches the original.")
                        .arg(session_->displayName().toHtmlEscaped(),
                             session_->copyPath().isEmpty()
                                 ? tr("the copy is in memory")
                                 : tr("the copy is %1").arg(session_->copyPath().toHtmlEscaped())));
    connect(session_.get(), &EditSession::committed, this, &EditTab::committed);
    saveHistory_->setEnabled(session_->history().size() > 0);
    connect(session_.get(), &EditSession::committed, saveHistory_,
            [this] { saveHistory_->setEnabled(true); });
}

bool EditTab::saveHistory(const QString& path) {
    if (!session_) return false;
    const auto latest = session_->committedSource();
    if (Status s = session_->history().save(path, latest.get()); !s) {
        message_->setText(tr("Not saved: %1").arg(QString::fromStdString(s.error().describe())));
        return false;
    }
    message_->setText(
        tr("Saved %n transaction(s) to %1", nullptr, session_->history().size()).arg(path));
    return true;
}

bool EditTab::addOperation(const QString& text) {
    if (!session_) return false;
    auto op = parseEditOperation(text);
    if (!op) {
        message_->setText(QString::fromStdString(op.error().message));
        return false;
    }
    if (Status s = session_->add(*op); !s) {
        message_->setText(tr("Refused: %1").arg(QString::fromStdString(s.error().describe())));
        return false;
    }
    message_->setText(tr("Added: %1").arg(op->describe()));
    input_->clear();
    return true;
}

QString EditTab::messageText() const {
    return message_->text();
}

} // namespace dms
