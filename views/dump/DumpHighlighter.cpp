#include "views/dump/DumpHighlighter.h"

#include <QRegularExpression>

#ifdef DMSCOPE_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

namespace dms {

QSyntaxHighlighter* attachDumpHighlighter(QTextDocument* doc, bool dark) {
#ifdef DMSCOPE_HAVE_KSYNTAXHIGHLIGHTING
    // The definition is a Qt resource: the repository looks for <path>/syntax/*.xml.
    static KSyntaxHighlighting::Repository repository = [] {
        KSyntaxHighlighting::Repository r;
        r.addCustomSearchPath(QStringLiteral(":/"));
        return r;
    }();
    const auto definition = repository.definitionForName(QStringLiteral("thin_dump"));
    if (definition.isValid()) {
        auto* h = new KSyntaxHighlighting::SyntaxHighlighter(doc);
        h->setTheme(repository.defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                                 : KSyntaxHighlighting::Repository::LightTheme));
        h->setDefinition(definition);
        return h;
    }
#endif
    return new DumpSyntaxHighlighter(doc, dark);
}

const char* dumpHighlighterBackend() {
#ifdef DMSCOPE_HAVE_KSYNTAXHIGHLIGHTING
    return "KSyntaxHighlighting";
#else
    return "QSyntaxHighlighter";
#endif
}

DumpSyntaxHighlighter::DumpSyntaxHighlighter(QTextDocument* doc, bool dark)
    : QSyntaxHighlighter(doc) {
    // The default styles of the definition's itemDatas, in Breeze-like colours.
    auto set = [&](Item item, QColor light, QColor darkColour, bool bold = false) {
        QTextCharFormat f;
        f.setForeground(dark ? darkColour : light);
        if (bold) f.setFontWeight(QFont::Bold);
        formats_[int(item)] = f;
    };
    set(Item::Tag, QColor(0x1f, 0x1c, 0x1b), QColor(0xcf, 0xcf, 0xc2), true);
    set(Item::Element, QColor(0x64, 0x4a, 0x9b), QColor(0x8e, 0x44, 0xad), true);
    set(Item::Attribute, QColor(0x0, 0x57, 0xae), QColor(0x29, 0x80, 0xb9));
    set(Item::Value, QColor(0xb0, 0x80, 0x00), QColor(0xf6, 0x74, 0x00));
    set(Item::Keyword, QColor(0x1f, 0x1c, 0x1b), QColor(0xcf, 0xcf, 0xc2), true);
    set(Item::Number, QColor(0xb0, 0x80, 0x00), QColor(0xf6, 0x74, 0x00));
    set(Item::Arrow, QColor(0xca, 0x60, 0xca), QColor(0x3f, 0x82, 0x58));
    set(Item::String, QColor(0xbf, 0x03, 0x03), QColor(0xf4, 0x43, 0x36));
}

void DumpSyntaxHighlighter::highlightBlock(const QString& text) {
    const qsizetype first = text.indexOf(QLatin1Char('<'));
    if (first >= 0)
        xmlLine(text);
    else
        humanLine(text);
}

void DumpSyntaxHighlighter::xmlLine(const QString& text) {
    // A scan by hand: thin_dump's xml lines are regular (<name attr="value" .../>), and regular
    // expressions per line cost several times more when a chunk of thousands is inserted.
    const qsizetype n = text.size();
    auto isName = [&](qsizetype i) {
        const QChar c = text[i];
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || c == QLatin1Char('_');
    };
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text[i];
        if (c == QLatin1Char('<')) {
            qsizetype start = i++;
            if (i < n && text[i] == QLatin1Char('/')) ++i;
            setFormat(int(start), int(i - start), format(Item::Tag));
            start = i;
            while (i < n && isName(i))
                ++i;
            setFormat(int(start), int(i - start), format(Item::Element));
        } else if (c == QLatin1Char('/') || c == QLatin1Char('>')) {
            setFormat(int(i), 1, format(Item::Tag));
            ++i;
        } else if (isName(i)) {
            const qsizetype start = i;
            while (i < n && isName(i))
                ++i;
            if (i < n && text[i] == QLatin1Char('=')) {
                setFormat(int(start), int(i - start), format(Item::Attribute));
                setFormat(int(i), 1, format(Item::Tag));
                ++i;
            }
        } else if (c == QLatin1Char('"')) {
            const qsizetype close = text.indexOf(QLatin1Char('"'), i + 1);
            const qsizetype end = close < 0 ? n : close + 1;
            setFormat(int(i), int(end - i), format(Item::Value));
            i = end;
        } else {
            ++i;
        }
    }
}

void DumpSyntaxHighlighter::humanLine(const QString& text) {
    static const QRegularExpression keyword(QStringLiteral(
        R"re(^(begin superblock|end superblock|device|mapped_blocks|transaction|creation time|snap time):?)re"));
    static const QRegularExpression number(QStringLiteral(R"re(\b\d+\b)re"));
    static const QRegularExpression arrow(QStringLiteral(R"re(->)re"));
    static const QRegularExpression string(QStringLiteral(R"re("[^"]*")re"));
    for (auto it = number.globalMatch(text); it.hasNext();) {
        auto m = it.next();
        setFormat(int(m.capturedStart()), int(m.capturedLength()), format(Item::Number));
    }
    for (const auto* re : {&keyword, &arrow, &string}) {
        const Item item = re == &keyword ? Item::Keyword
                          : re == &arrow ? Item::Arrow
                                         : Item::String;
        for (auto it = re->globalMatch(text); it.hasNext();) {
            auto m = it.next();
            setFormat(int(m.capturedStart()), int(m.capturedLength()), format(item));
        }
    }
}

} // namespace dms
