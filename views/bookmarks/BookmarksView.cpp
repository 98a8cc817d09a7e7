#include "views/bookmarks/BookmarksView.h"

#include "models/BlockSelection.h"
#include "models/BookmarkModel.h"

#include <QColorDialog>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace dms {

BookmarksView::BookmarksView(QWidget* parent)
    : QWidget(parent), table_(new QTableView(this)), add_(new QToolButton(this)),
      edit_(new QToolButton(this)), remove_(new QToolButton(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* buttons = new QHBoxLayout;
    add_->setText(tr("Add"));
    add_->setToolTip(tr("Bookmark the selected block (Ctrl+D)"));
    edit_->setText(tr("Edit…"));
    remove_->setText(tr("Remove"));
    buttons->addWidget(add_);
    buttons->addWidget(edit_);
    buttons->addWidget(remove_);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addWidget(table_, 1);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(add_, &QToolButton::clicked, this, &BookmarksView::addCurrent);
    connect(edit_, &QToolButton::clicked, this, [this] {
        if (table_->currentIndex().isValid()) editRow(table_->currentIndex().row());
    });
    connect(remove_, &QToolButton::clicked, this, &BookmarksView::removeSelected);
    connect(table_, &QTableView::activated, this,
            [this](const QModelIndex& i) { activate(i.row()); });
    updateButtons();
}

void BookmarksView::setModel(BookmarkModel* model) {
    model_ = model;
    table_->setModel(model);
    connect(model, &QAbstractItemModel::modelReset, this, &BookmarksView::updateButtons);
    connect(model, &QAbstractItemModel::rowsInserted, this, &BookmarksView::updateButtons);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &BookmarksView::updateButtons);
    connect(table_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &BookmarksView::updateButtons);
    updateButtons();
}

void BookmarksView::setSelection(BlockSelection* selection) {
    selection_ = selection;
    connect(selection, &BlockSelection::currentChanged, this, &BookmarksView::updateButtons);
    connect(selection, &BlockSelection::cleared, this, &BookmarksView::updateButtons);
    updateButtons();
}

void BookmarksView::updateButtons() {
    const bool haveDoc = model_ && !model_->identity().isEmpty();
    add_->setEnabled(haveDoc && selection_ && selection_->current());
    const bool row = model_ && table_->currentIndex().isValid();
    edit_->setEnabled(row);
    remove_->setEnabled(row);
}

void BookmarksView::activate(int row) {
    if (model_ && selection_ && row >= 0 && row < model_->count())
        selection_->select(model_->bookmark(row).block, this);
}

bool BookmarksView::askDetails(Bookmark& b, const QString& title) {
    QDialog dialog(this);
    dialog.setWindowTitle(title);
    auto* form = new QFormLayout(&dialog);
    auto* name = new QLineEdit(b.name, &dialog);
    auto* colour = new QPushButton(&dialog);
    QColor chosen = b.colour.isValid() ? b.colour : QColor(QStringLiteral("#e0a030"));
    auto paint = [colour, &chosen] {
        colour->setText(chosen.name());
        colour->setStyleSheet(QStringLiteral("background: %1").arg(chosen.name()));
    };
    paint();
    connect(colour, &QPushButton::clicked, &dialog, [&] {
        const QColor c = QColorDialog::getColor(chosen, &dialog);
        if (c.isValid()) chosen = c, paint();
    });
    auto* note = new QPlainTextEdit(b.note, &dialog);
    form->addRow(tr("Block:"), new QLineEdit(b.block.describe(), &dialog));
    form->itemAt(0, QFormLayout::FieldRole)->widget()->setEnabled(false);
    form->addRow(tr("Name:"), name);
    form->addRow(tr("Colour:"), colour);
    form->addRow(tr("Note:"), note);
    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(box);
    connect(box, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted) return false;
    b.name = name->text().trimmed().isEmpty() ? b.block.describe() : name->text().trimmed();
    b.colour = chosen;
    b.note = note->toPlainText();
    return true;
}

void BookmarksView::addCurrent() {
    if (!model_ || !selection_ || !selection_->current() || model_->identity().isEmpty()) return;
    Bookmark b;
    b.block = *selection_->current();
    b.name = b.block.describe();
    if (askDetails(b, tr("Add Bookmark"))) model_->add(b);
}

void BookmarksView::editRow(int row) {
    if (!model_ || row < 0 || row >= model_->count()) return;
    Bookmark b = model_->bookmark(row);
    if (askDetails(b, tr("Edit Bookmark"))) model_->replace(row, b);
}

void BookmarksView::removeSelected() {
    if (model_ && table_->currentIndex().isValid()) model_->remove(table_->currentIndex().row());
}

} // namespace dms
