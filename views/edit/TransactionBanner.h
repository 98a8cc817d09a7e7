#pragma once
// A strip across the window while it shows an earlier state of an edit session: "Viewing
// transaction k of n (read-only)" (or "as opened"), with Earlier, Later and Back to current.
// Hidden while the window shows the current metadata.

#include <QFrame>

class QLabel;
class QPushButton;

namespace dms {

class TransactionBanner : public QFrame {
    Q_OBJECT
public:
    explicit TransactionBanner(QWidget* parent = nullptr);

    // Shows the banner for state k of n; k == n hides it.
    void showState(int k, int n);
    QString text() const;

signals:
    void earlierRequested();
    void laterRequested();
    void currentRequested();

private:
    QLabel* label_;
    QPushButton* earlier_;
    QPushButton* later_;
};

} // namespace dms
