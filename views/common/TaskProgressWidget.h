#pragma once
// Progress of background work in the status bar: what is being done, a bar, and Cancel. Hidden
// when nothing runs.

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace dms {

class TaskProgressWidget : public QWidget {
    Q_OBJECT
public:
    explicit TaskProgressWidget(QWidget* parent = nullptr);

    // total 0: a busy bar without a known end.
    void showProgress(const QString& what, quint64 done, quint64 total);
    void finish();
    QString text() const;

signals:
    void cancelRequested();

private:
    QLabel* label_;
    QProgressBar* bar_;
    QToolButton* cancel_;
};

} // namespace dms
