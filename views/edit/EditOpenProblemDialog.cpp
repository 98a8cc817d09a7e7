#include "views/edit/EditOpenProblemDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace dms {

EditOpenProblemDialog::EditOpenProblemDialog(const EditOpenProblem& problem, QWidget* parent)
    : QDialog(parent), problem_(problem) {
    setWindowTitle(tr("Open for Editing"));
    auto* icon = new QLabel(this);
    const bool busy = problem.kind == EditOpenProblem::Kind::Busy;
    icon->setPixmap(
        style()
            ->standardIcon(busy ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxCritical)
            .pixmap(48, 48));
    icon->setAlignment(Qt::AlignTop);
    auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(problem.title.toHtmlEscaped()), this);
    title->setWordWrap(true);
    auto* holder = new QLabel(this);
    if (!problem.holder.isEmpty())
        holder->setText(tr("Held by: <b>%1</b>").arg(problem.holder.toHtmlEscaped()));
    holder->setVisible(!problem.holder.isEmpty());
    auto* explanation = new QLabel(problem.explanation, this);
    explanation->setWordWrap(true);
    explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* text = new QVBoxLayout;
    text->addWidget(title);
    text->addWidget(holder);
    text->addWidget(explanation);
    if (!problem.commands.isEmpty()) {
        text->addWidget(new QLabel(problem.commands.size() == 1
                                       ? tr("This command frees it (as root):")
                                       : tr("These commands free it, in this order (as root):"),
                                   this));
        auto* commands = new QPlainTextEdit(problem.commands.join(QLatin1Char('\n')), this);
        commands->setReadOnly(true);
        QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        commands->setFont(mono);
        commands->setFixedHeight(
            QFontMetrics(mono).lineSpacing() * (int(problem.commands.size()) + 1) + 12);
        auto* copy = new QPushButton(tr("Copy"), this);
        copy->setToolTip(tr("Copy the commands to the clipboard"));
        connect(copy, &QPushButton::clicked, this, [this] {
            QApplication::clipboard()->setText(problem_.commands.join(QLatin1Char('\n')));
        });
        auto* row = new QHBoxLayout;
        row->addWidget(commands, 1);
        row->addWidget(copy, 0, Qt::AlignTop);
        text->addLayout(row);
    }
    auto* top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addLayout(text, 1);

    auto make = [this](Choice c, const QString& label, const QString& tip) {
        auto* b = new QPushButton(label, this);
        b->setToolTip(tip);
        buttons_[int(c)] = b;
        connect(b, &QPushButton::clicked, this, [this, c] { choose(c); });
        return b;
    };
    auto* buttons = new QHBoxLayout;
    if (problem.kind == EditOpenProblem::Kind::Busy ||
        problem.kind == EditOpenProblem::Kind::ReadOnlyFile)
        buttons->addWidget(make(Choice::TryAgain, tr("&Try Again"),
                                tr("Open it again, e.g. after running the commands above")));
    if (problem.canUseHelper)
        buttons->addWidget(make(Choice::UseHelper, tr("As &Administrator…"),
                                tr("Open it through dmscope-helper, started with pkexec")));
    buttons->addStretch();
    if (problem.canEditCopy) {
        QPushButton* copy =
            make(Choice::EditCopy, tr("&Edit a Copy Instead"),
                 tr("Copy the metadata into a temporary file and edit that; the original is "
                    "never written"));
        copy->setDefault(true);
        buttons->addWidget(copy);
    }
    buttons->addWidget(make(Choice::Cancel, tr("Cancel"), QString()));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addSpacing(6);
    layout->addLayout(buttons);
    setMinimumWidth(560);
}

QPushButton* EditOpenProblemDialog::button(Choice c) const {
    return buttons_[int(c)];
}

void EditOpenProblemDialog::choose(Choice c) {
    choice_ = c;
    if (c == Choice::Cancel)
        reject();
    else
        accept();
}

QString EditOpenProblemDialog::text() const {
    QString t = describeEditOpenProblem(problem_);
    if (!problem_.holder.isEmpty()) t += QStringLiteral("\nHeld by: ") + problem_.holder;
    return t;
}

} // namespace dms
