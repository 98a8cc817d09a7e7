#pragma once
// Driving the window's edit mode as a person would (the walkthrough and the history/diff tests):
// finding a button or a menu action by its text, typing an operation into the edit tab, and
// reading back what a commit wrote. Header-only, so that only the tests that include it compile it.

#include "app/gui/EditTab.h"
#include "core/BlockSource.h"
#include "models/edit/MetadataDiffModel.h"

#include <QAction>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenuBar>
#include <QPushButton>
#include <QTest>

#include <cstdint>
#include <vector>

namespace dms::test {

// The first push button under w whose text (without '&') starts with text.
inline QPushButton* button(QWidget* w, const QString& text) {
    for (QPushButton* b : w->findChildren<QPushButton*>())
        if (b->text().remove(QLatin1Char('&')).startsWith(text)) return b;
    return nullptr;
}

// The window's action named text (without '&'), from the menu bar first.
inline QAction* menuAction(QMainWindow& w, const QString& text) {
    for (QAction* a : w.menuBar()->findChildren<QAction*>())
        if (a->text().remove(QLatin1Char('&')) == text) return a;
    for (QAction* a : w.findChildren<QAction*>())
        if (a->text().remove(QLatin1Char('&')) == text) return a;
    return nullptr;
}

inline QLineEdit* operationInput(EditTab* tab) {
    for (QLineEdit* e : tab->findChildren<QLineEdit*>())
        if (e->placeholderText().startsWith(QStringLiteral("operation"))) return e;
    return nullptr;
}

// Types one operation and Return; fails unless the tab says it was added.
inline void typeOperation(EditTab* tab, const QString& text) {
    QLineEdit* input = operationInput(tab);
    QVERIFY(input);
    input->setFocus();
    QTest::keyClicks(input, text);
    QTest::keyClick(input, Qt::Key_Return);
    QVERIFY2(tab->messageText().startsWith(QStringLiteral("Added")),
             qPrintable(tab->messageText()));
}

// Every block of s (empty if one cannot be read).
inline std::vector<std::uint8_t> bytesOf(const BlockSource& s) {
    std::vector<std::uint8_t> out(s.blockCount() * kBlockSize);
    for (std::uint64_t b = 0; b < s.blockCount(); ++b)
        if (!s.read(b, out.data() + b * kBlockSize)) return {};
    return out;
}

// The diff's row of thin device id, or -1.
inline int rowOfDevice(const MetadataDiffModel& m, std::uint64_t id) {
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.index(r, MetadataDiffModel::DeviceColumn).data().toULongLong() == id) return r;
    return -1;
}

} // namespace dms::test
