#pragma once
// The dump viewer: the thin_dump text (xml or human_readable) of the open pool, exactly as
// `dmscope-cli dump` prints it, syntax-highlighted, loaded lazily (DumpStream: a chunk of lines
// at a time as the view nears the end of what it holds, so a dump of millions of mappings costs
// only what was scrolled through). Ctrl+F searches (F3 / Shift+F3: next / previous; a search
// forward past the loaded text loads on until found or the end). Enter or a double-click on a
// line jumps: a mapping line selects its data block, a device line the root block of the
// device's mapping tree.

#include "core/thin/ThinDumpWriter.h"

#include <QWidget>
#include <algorithm>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QToolButton;

namespace dms {

class BlockSelection;
class DumpStream;
class ThinPoolDocument;
struct BlockRef;

class DumpView : public QWidget {
    Q_OBJECT
public:
    explicit DumpView(QWidget* parent = nullptr);
    ~DumpView() override;

    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);
    void setFormat(ThinDumpFormat format);
    // Lines per loaded chunk (default 500), from the next setDocument/setFormat on.
    void setChunkLines(int lines) { chunkLines_ = std::max(1, lines); }
    ThinDumpFormat format() const;

    QPlainTextEdit* textEdit() const { return text_; }
    qint64 loadedLines() const;
    bool isComplete() const; // the whole dump is loaded (or it stopped at damage)
    QString loadError() const { return error_; }
    // Loads the rest of the dump (chunk by chunk, the UI stays responsive).
    void loadAll();

    // Finds text from the cursor; forward past the loaded text loads more first, so the answer
    // may come later: searchFinished() tells. Returns true when found at once.
    bool find(const QString& text, bool backward = false);
    // What the line (0-based block number) points at, selected in the BlockSelection (if any).
    std::optional<BlockRef> jumpFromLine(int line);

signals:
    void chunkLoaded(qint64 lines);
    void loadFinished(const QString& error);
    void searchFinished(bool found);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void appendChunk(const QString& text);
    void appendQueued();
    void finishLoading();
    void maybeLoadMore();
    void continueSearch();
    void updateStatus();

    std::shared_ptr<ThinPoolDocument> doc_;
    BlockSelection* selection_ = nullptr;
    DumpStream* stream_;
    QComboBox* format_;
    QLineEdit* search_;
    QToolButton* prev_;
    QToolButton* next_;
    QToolButton* loadAll_;
    QToolButton* jump_;
    QLabel* status_;
    QPlainTextEdit* text_;
    QString error_;
    int chunkLines_ = 500; // inserting and highlighting one chunk stays well under 50 ms
    QStringList queued_;   // chunks received, appended one per event-loop pass
    qint64 requested_ = 0; // chunks asked of the stream
    qint64 received_ = 0;
    bool loadingAll_ = false;
    bool complete_ = false;
    qint64 loadedLines_ = 0;
    QString pendingSearch_;
};

} // namespace dms
