#pragma once
// Syntax highlighting of thin dumps (both formats) in a QTextDocument. With KF6
// SyntaxHighlighting (found at configure time) it uses resources/syntax/thin-dump.xml; without
// it (Debian 12: KF6 needs Qt >= 6.5) DumpSyntaxHighlighter colours the same items, the same way.

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace dms {

// Attaches a highlighter to doc (parented to it) and returns it. dark: colours for a dark palette.
QSyntaxHighlighter* attachDumpHighlighter(QTextDocument* doc, bool dark);
// Which implementation attachDumpHighlighter uses: "KSyntaxHighlighting" or "QSyntaxHighlighter".
const char* dumpHighlighterBackend();

class DumpSyntaxHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    enum class Item { Tag, Element, Attribute, Value, Keyword, Number, Arrow, String };

    DumpSyntaxHighlighter(QTextDocument* doc, bool dark);
    const QTextCharFormat& format(Item item) const { return formats_[int(item)]; }

protected:
    void highlightBlock(const QString& text) override;

private:
    void xmlLine(const QString& text);
    void humanLine(const QString& text);

    QTextCharFormat formats_[8];
};

} // namespace dms
