#pragma once
// The search dock: "which thin devices map data block N" and "who references metadata block N",
// run on a worker thread (both walk whole trees); activating a result selects its block.

#include "models/BlockRef.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace dms {

class BackgroundJob;
class BlockSelection;
class SearchResultsModel;
class ThinPoolDocument;

class BlockSearchView : public QWidget {
    Q_OBJECT
public:
    enum class Kind { DataBlockOwners, MetadataReferrers };

    explicit BlockSearchView(QWidget* parent = nullptr);

    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);

    // Starts a search; the result arrives with searchFinished().
    void search(Kind kind, std::uint64_t block);
    SearchResultsModel* results() const { return results_; }
    QString statusText() const;
    bool isSearching() const;

signals:
    void searchFinished();

private:
    void searchFromInput();
    void showStatus(const QString& text);

    std::shared_ptr<ThinPoolDocument> doc_;
    BlockSelection* selection_ = nullptr;
    BackgroundJob* job_;
    SearchResultsModel* results_;
    QComboBox* kind_;
    QLineEdit* input_;
    QPushButton* go_;
    QLabel* status_;
    QTableView* table_;
};

} // namespace dms
