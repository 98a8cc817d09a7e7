#include "app/gui/EditTab.h"

#include "models/edit/EditOperationParser.h"
#include "models/edit/EditSession.h"
#include "views/edit/EditModePanel.h"
#include "views/edit/MetadataDiffView.h"
#include "views/edit/PolicyComparisonView.h"
#include "views/edit/TransactionHistoryView.h"

#include <QCompleter>
#include <QDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace dms {

EditTab::EditTab(QWidget* parent)
    : QWidget(parent), input_(new QLineEdit(this)), message_(new QLabel(this)),
      title_(new QLabel(this)), panel_(new EditModePanel(this)), pages_(new QTabWidget(this)),
      historyView_(new TransactionHistoryView(this)), diffView_(new MetadataDiffView(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    input_->setPlaceholderText(tr("operation, e.g. create-snap 100 1 · map 1 0 500 16 · delete 2"));
    input_->setCompleter(new QCompleter(editOperationWords(), input_));
    auto* add = new QPushButton(tr("Add"), this);
    row->addWidget(new QLabel(tr("Add operation:"), this));
    row->addWidget(input_, 1);
    row->addWidget(add);
    auto* compare = new QPushButton(tr("Compare Policies…"), this);
    compare->setToolTip(tr("Run the pending operations under the reference and the mainline "
                           "allocation policy, each on a scratch copy, side by side"));
    row->addWidget(compare);
    connect(compare, &QPushButton::clicked, this, [this] { showPolicyComparison(); });
    layout->addWidget(title_);
    layout->addLayout(row);
    layout->addWidget(message_);
    pages_->setDocumentMode(true);
    panel_->setObjectName(QStringLiteral("operations"));
    historyView_->setObjectName(QStringLiteral("transactions"));
    diffView_->setObjectName(QStringLiteral("diff"));
    pages_->addTab(panel_, tr("Operations && stepping"));
    pages_->addTab(historyView_, tr("Transactions"));
    pages_->addTab(diffView_, tr("Diff"));
    layout->addWidget(pages_, 1);
    message_->setWordWrap(true);
    connect(add, &QPushButton::clicked, this, [this] { addOperation(input_->text()); });
    connect(input_, &QLineEdit::returnPressed, this, [this] { addOperation(input_->text()); });
    setEnabled(false);
}

EditTab::~EditTab() {
    if (comparison_) comparison_->setSession(nullptr);
    panel_->setSession(nullptr);
    historyView_->setSession(nullptr);
    diffView_->setSession(nullptr);
}

bool EditTab::showPage(const QString& name) {
    for (int i = 0; i < pages_->count(); ++i)
        if (pages_->widget(i)->objectName() == name) {
            pages_->setCurrentIndex(i);
            return true;
        }
    return false;
}

void EditTab::setSelection(BlockSelection* selection) {
    selection_ = selection;
    panel_->setSelection(selection);
    diffView_->setSelection(selection);
}

void EditTab::setSession(std::unique_ptr<EditSession> session) {
    panel_->setSession(nullptr);
    historyView_->setSession(nullptr);
    if (comparison_) comparison_->setSession(nullptr);
    diffView_->setSession(nullptr);
    session_ = std::move(session);
    panel_->setSession(session_.get());
    historyView_->setSession(session_.get());
    diffView_->setSession(session_.get());
    if (comparison_ && comparisonWindow_->isVisible()) comparison_->setSession(session_.get());
    setEnabled(session_ != nullptr);
    message_->clear();
    if (!session_) {
        title_->clear();
        return;
    }
    if (session_->isInPlace())
        title_->setText(tr("<b>Editing %1 in place</b> — opened read-write and exclusive. Nothing "
                           "is written until Commit, which writes it in the crash-safe order.")
                            .arg(session_->displayName().toHtmlEscaped()));
    else
        title_->setText(
            tr("<b>Editing a copy of %1</b> — %2. Nothing reaches the original.")
                .arg(session_->displayName().toHtmlEscaped(),
                     session_->copyPath().isEmpty()
                         ? tr("the copy is in memory")
                         : tr("the copy is %1").arg(session_->copyPath().toHtmlEscaped())));
    connect(session_.get(), &EditSession::committed, this, &EditTab::committed);
}

bool EditTab::saveHistory(const QString& path) {
    if (!session_) return false;
    const bool saved = historyView_->saveHistory(path);
    message_->setText(historyView_->messageText());
    return saved;
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

QString EditTab::titleText() const {
    return title_->text();
}

PolicyComparisonView* EditTab::showPolicyComparison() {
    if (!comparisonWindow_) {
        auto* dialog = new QDialog(this);
        dialog->setWindowTitle(tr("Allocation Policies Side by Side"));
        comparison_ = new PolicyComparisonView(dialog);
        comparison_->setSelection(selection_);
        auto* layout = new QVBoxLayout(dialog);
        layout->addWidget(comparison_);
        dialog->resize(940, 430);
        // Computed only while shown: each change of the operations runs both policies.
        connect(dialog, &QDialog::finished, this, [this] { comparison_->setSession(nullptr); });
        comparisonWindow_ = dialog;
    }
    comparison_->setSelection(selection_);
    comparison_->setSession(session_.get());
    comparisonWindow_->show();
    comparisonWindow_->raise();
    return comparison_;
}

} // namespace dms
