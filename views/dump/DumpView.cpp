#include "views/dump/DumpView.h"

#include "core/btree/BtreeLookup.h"
#include "models/BlockSelection.h"
#include "models/ThinPoolDocument.h"
#include "models/dump/DumpLineTarget.h"
#include "models/dump/DumpStream.h"
#include "views/dump/DumpHighlighter.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QShortcut>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace dms {
namespace {

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    return b;
}

} // namespace

DumpView::DumpView(QWidget* parent)
    : QWidget(parent), stream_(new DumpStream(this)), format_(new QComboBox(this)),
      search_(new QLineEdit(this)), prev_(toolButton(tr("◀"), tr("Previous (Shift+F3)"), this)),
      next_(toolButton(tr("▶"), tr("Next (F3)"), this)),
      loadAll_(toolButton(tr("Load all"), tr("Load the rest of the dump"), this)),
      jump_(toolButton(tr("Go to block"),
                       tr("Select the data block of the mapping, or the device's mapping tree "
                          "(Enter, double-click)"),
                       this)),
      status_(new QLabel(this)), text_(new QPlainTextEdit(this)) {
    format_->addItem(tr("XML"), int(ThinDumpFormat::Xml));
    format_->addItem(tr("Human readable"), int(ThinDumpFormat::HumanReadable));
    search_->setPlaceholderText(tr("Find in dump (Ctrl+F)"));
    search_->setClearButtonEnabled(true);
    text_->setReadOnly(true);
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text_->setUndoRedoEnabled(false);
    text_->viewport()->installEventFilter(this);
    text_->installEventFilter(this);
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    attachDumpHighlighter(text_->document(), dark);

    auto* bar = new QHBoxLayout;
    bar->addWidget(format_);
    bar->addWidget(search_, 1);
    bar->addWidget(prev_);
    bar->addWidget(next_);
    bar->addWidget(jump_);
    bar->addWidget(loadAll_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(text_, 1);
    layout->addWidget(status_);

    auto* findShortcut = new QShortcut(QKeySequence::Find, this);
    findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(findShortcut, &QShortcut::activated, this, [this] {
        search_->setFocus();
        search_->selectAll();
    });
    auto* nextShortcut = new QShortcut(QKeySequence::FindNext, this);
    nextShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(nextShortcut, &QShortcut::activated, this, [this] { find(search_->text()); });
    auto* prevShortcut = new QShortcut(QKeySequence::FindPrevious, this);
    prevShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(prevShortcut, &QShortcut::activated, this, [this] { find(search_->text(), true); });
    connect(search_, &QLineEdit::returnPressed, this, [this] { find(search_->text()); });
    connect(next_, &QToolButton::clicked, this, [this] { find(search_->text()); });
    connect(prev_, &QToolButton::clicked, this, [this] { find(search_->text(), true); });
    connect(jump_, &QToolButton::clicked, this,
            [this] { jumpFromLine(text_->textCursor().blockNumber()); });
    connect(loadAll_, &QToolButton::clicked, this, &DumpView::loadAll);
    connect(format_, &QComboBox::currentIndexChanged, this, [this] { setDocument(doc_); });
    connect(text_->verticalScrollBar(), &QScrollBar::valueChanged, this, &DumpView::maybeLoadMore);
    connect(text_->verticalScrollBar(), &QScrollBar::rangeChanged, this, &DumpView::maybeLoadMore);
    // Chunks queue up while the worker runs ahead; appending two in one go would hold the event
    // loop for too long, so each is appended on its own pass (a zero timer).
    connect(stream_, &DumpStream::chunkReady, this, [this](const QString& chunk, qint64) {
        queued_ << chunk;
        if (queued_.size() == 1) QTimer::singleShot(0, this, &DumpView::appendQueued);
    });
    connect(stream_, &DumpStream::finished, this, [this](const QString& error) {
        error_ = error;
        if (queued_.isEmpty()) finishLoading();
    });
    updateStatus();
}

DumpView::~DumpView() = default;

void DumpView::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    stream_->cancel();
    text_->clear();
    error_.clear();
    pendingSearch_.clear();
    queued_.clear();
    loadingAll_ = false;
    complete_ = false;
    loadedLines_ = 0;
    received_ = 0;
    requested_ = 0;
    if (doc_) {
        requested_ = 2;
        stream_->start(doc_, format(), int(requested_), chunkLines_);
    }
    updateStatus();
}

void DumpView::setSelection(BlockSelection* selection) {
    selection_ = selection;
}

void DumpView::setFormat(ThinDumpFormat f) {
    format_->setCurrentIndex(format_->findData(int(f)));
}

ThinDumpFormat DumpView::format() const {
    return ThinDumpFormat(format_->currentData().toInt());
}

qint64 DumpView::loadedLines() const {
    return loadedLines_;
}

bool DumpView::isComplete() const {
    return complete_;
}

void DumpView::appendChunk(const QString& chunk) {
    // Inserting at the end keeps the text byte for byte (appendPlainText would add a newline).
    // The user's cursor and scroll position stay where they are (a cursor at the end would
    // otherwise move along with the insertion).
    QScrollBar* v = text_->verticalScrollBar();
    const int value = v->value();
    const QTextCursor before = text_->textCursor();
    const int anchor = before.anchor(), position = before.position();
    QTextCursor end(text_->document());
    end.movePosition(QTextCursor::End);
    end.insertText(chunk);
    QTextCursor kept(text_->document());
    kept.setPosition(anchor);
    kept.setPosition(position, QTextCursor::KeepAnchor);
    text_->setTextCursor(kept);
    v->setValue(value);
}

void DumpView::appendQueued() {
    if (queued_.isEmpty()) return;
    const QString chunk = queued_.takeFirst();
    ++received_;
    appendChunk(chunk);
    loadedLines_ += chunk.count(QLatin1Char('\n'));
    emit chunkLoaded(loadedLines_);
    if (!pendingSearch_.isEmpty()) continueSearch();
    maybeLoadMore();
    updateStatus();
    if (!queued_.isEmpty())
        QTimer::singleShot(0, this, &DumpView::appendQueued);
    else if (stream_->isFinished())
        finishLoading();
}

void DumpView::finishLoading() {
    loadingAll_ = false;
    complete_ = true;
    updateStatus();
    if (!pendingSearch_.isEmpty()) continueSearch();
    emit loadFinished(error_);
}

void DumpView::maybeLoadMore() {
    if (!doc_ || stream_->isFinished()) return;
    const QScrollBar* v = text_->verticalScrollBar();
    const bool nearEnd = v->value() >= v->maximum() - 3 * std::max(1, v->pageStep());
    const bool wanted = loadingAll_ || !pendingSearch_.isEmpty() || nearEnd;
    // One chunk ahead of what is shown (two while loading everything).
    const qint64 ahead = loadingAll_ || !pendingSearch_.isEmpty() ? 2 : 1;
    if (wanted && requested_ - received_ < ahead) {
        const qint64 more = ahead - (requested_ - received_);
        requested_ += more;
        stream_->requestMore(int(more));
    }
}

void DumpView::loadAll() {
    loadingAll_ = true;
    maybeLoadMore();
    updateStatus();
}

bool DumpView::find(const QString& text, bool backward) {
    if (text.isEmpty()) return false;
    pendingSearch_.clear();
    const bool found =
        text_->find(text, backward ? QTextDocument::FindBackward : QTextDocument::FindFlags());
    if (found || backward || complete_ || !doc_) {
        status_->setText(
            found ? tr("Found “%1” on line %2").arg(text).arg(text_->textCursor().blockNumber() + 1)
                  : tr("“%1” not found").arg(text));
        emit searchFinished(found);
        return found;
    }
    // Not in what is loaded: load on and look in each new chunk.
    pendingSearch_ = text;
    status_->setText(tr("Searching for “%1” in the rest of the dump…").arg(text));
    maybeLoadMore();
    return false;
}

void DumpView::continueSearch() {
    const QString text = pendingSearch_;
    // Only the new text (and a match straddling the old end) needs looking at.
    const int from =
        std::max(text_->textCursor().position(),
                 text_->document()->characterCount() - 1 - int(text.size()) - chunkLines_ * 200);
    const QTextCursor hit = text_->document()->find(text, std::max(0, from));
    if (!hit.isNull()) {
        pendingSearch_.clear();
        text_->setTextCursor(hit);
        text_->centerCursor();
        status_->setText(tr("Found “%1” on line %2").arg(text).arg(hit.blockNumber() + 1));
        emit searchFinished(true);
        return;
    }
    if (complete_) {
        pendingSearch_.clear();
        status_->setText(tr("“%1” not found").arg(text));
        emit searchFinished(false);
    }
}

std::optional<BlockRef> DumpView::jumpFromLine(int line) {
    const QTextBlock block = text_->document()->findBlockByNumber(line);
    if (!block.isValid() || !doc_) return std::nullopt;
    const auto target = DumpLineTarget::parse(block.text());
    if (!target) return std::nullopt;
    std::optional<BlockRef> ref;
    if (target->kind == DumpLineTarget::Kind::DataBlock) {
        ref = BlockRef::data(target->value);
    } else {
        // The device's mapping tree root, from the top-level tree of the shown superblock.
        auto hit = btreeLookup(doc_->metadata().reader(), doc_->superblock().dataMappingRoot,
                               target->value, 8);
        if (!hit || !*hit) {
            status_->setText(hit ? tr("device %1 has no mapping tree").arg(target->value)
                                 : QString::fromStdString(hit.error().describe()));
            return std::nullopt;
        }
        ref = BlockRef::metadata(loadLe64((*hit)->value()));
    }
    if (selection_) selection_->select(*ref, this);
    status_->setText(tr("Selected %1").arg(ref->describe()));
    return ref;
}

bool DumpView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == text_->viewport() && event->type() == QEvent::MouseButtonDblClick) {
        // The double-click has placed the cursor on the line under the mouse first.
        QMetaObject::invokeMethod(
            this, [this] { jumpFromLine(text_->textCursor().blockNumber()); },
            Qt::QueuedConnection);
    }
    if (watched == text_ && event->type() == QEvent::KeyPress) {
        const auto key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            jumpFromLine(text_->textCursor().blockNumber());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void DumpView::updateStatus() {
    if (!doc_) {
        status_->setText(tr("No pool open"));
        return;
    }
    const QString lines = QLocale().toString(loadedLines_);
    if (complete_)
        status_->setText(error_.isEmpty()
                             ? tr("%1 lines (the whole dump)").arg(lines)
                             : tr("%1 lines, then the dump stopped: %2").arg(lines, error_));
    else if (pendingSearch_.isEmpty())
        status_->setText(loadingAll_ ? tr("%1 lines loaded, loading the rest…").arg(lines)
                                     : tr("%1 lines loaded (more as you scroll)").arg(lines));
}

} // namespace dms
