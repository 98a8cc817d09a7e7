// BookmarkModel: passes QAbstractItemModelTester through adds, edits and removals, keeps each
// document's bookmarks apart, and reads back exactly what it stored.

#include "models/BookmarkModel.h"
#include "tests/support/Fixtures.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QTest>

using namespace dms;

class TestBookmarkModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           test::tempDir() + QStringLiteral("/settings"));
        QCoreApplication::setOrganizationName(QStringLiteral("dmscope-tests"));
    }

    void passesTheModelTesterThroughEveryChange() {
        BookmarkModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setIdentity(QStringLiteral("/images/one.img"));
        QCOMPARE(m.rowCount(), 0);
        for (int i = 0; i < 5; ++i)
            m.add({BlockRef::metadata(100 + i), QStringLiteral("b%1").arg(i), QColor(Qt::blue),
                   QStringLiteral("note %1").arg(i)});
        QCOMPARE(m.rowCount(), 5);
        m.replace(2, {BlockRef::data(9), QStringLiteral("renamed"), QColor(), QString()});
        QCOMPARE(m.index(2, BookmarkModel::NameColumn).data().toString(),
                 QStringLiteral("renamed"));
        QCOMPARE(m.index(2, BookmarkModel::BlockColumn).data().toString(),
                 QStringLiteral("data block 9"));
        QCOMPARE(m.index(2, 0).data(BookmarkModel::BlockRefRole).value<BlockRef>(),
                 BlockRef::data(9));
        m.remove(0);
        m.remove(10); // out of range: ignored
        QCOMPARE(m.rowCount(), 4);
        m.setIdentity(QString());
        QCOMPARE(m.rowCount(), 0);
    }

    void eachIdentityHasItsOwnBookmarks() {
        BookmarkModel a;
        a.setIdentity(QStringLiteral("/dev/mapper/vg-pool_tmeta"));
        a.add({BlockRef::metadata(1), QStringLiteral("one"), QColor(), QString()});
        BookmarkModel b;
        b.setIdentity(QStringLiteral("/dev/mapper/vg-other_tmeta"));
        QCOMPARE(b.count(), 0);
        b.setIdentity(QStringLiteral("/dev/mapper/vg-pool_tmeta"));
        QCOMPARE(b.count(), 1);
        QCOMPARE(b.bookmark(0).name, QStringLiteral("one"));
        QVERIFY(BookmarkModel::settingsGroup(QStringLiteral("/a")) !=
                BookmarkModel::settingsGroup(QStringLiteral("/b")));
    }
};

QTEST_GUILESS_MAIN(TestBookmarkModel)
#include "tst_bookmarkmodel.moc"
