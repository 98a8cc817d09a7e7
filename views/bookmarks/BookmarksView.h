#pragma once
// The bookmarks dock: the document's bookmarks as a table; double-click (or Enter) goes to the
// block, and Add/Edit/Remove manage them. Adding takes the current selection.

#include <QWidget>

class QTableView;
class QToolButton;

namespace dms {

class BlockSelection;
class BookmarkModel;
struct Bookmark;

class BookmarksView : public QWidget {
    Q_OBJECT
public:
    explicit BookmarksView(QWidget* parent = nullptr);

    void setModel(BookmarkModel* model);
    void setSelection(BlockSelection* selection);

    // Asks for name, colour and note of a bookmark on the current block and adds it.
    void addCurrent();
    void editRow(int row);
    void removeSelected();

private:
    void activate(int row);
    bool askDetails(Bookmark& b, const QString& title);
    void updateButtons();

    BookmarkModel* model_ = nullptr;
    BlockSelection* selection_ = nullptr;
    QTableView* table_;
    QToolButton* add_;
    QToolButton* edit_;
    QToolButton* remove_;
};

} // namespace dms
