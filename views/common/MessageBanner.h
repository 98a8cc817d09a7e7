#pragma once
// A strip across the top of the window for what went wrong (or needs attention) with the last
// action: a bold headline and the core's one-line detail. Closable; never modal, so a bad image
// can't trap the user in a dialog.

#include <QFrame>

class QLabel;

namespace dms {

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Severity { Error, Warning };

    explicit MessageBanner(QWidget* parent = nullptr);

    void showMessage(Severity severity, const QString& headline, const QString& detail);
    void clearMessage();

    bool hasMessage() const { return !headline_.isEmpty(); }
    Severity severity() const { return severity_; }
    // Headline and detail, as shown.
    QString text() const;

private:
    QLabel* label_;
    QString headline_;
    QString detail_;
    Severity severity_ = Severity::Error;
};

} // namespace dms
