// SearchResultsModel passes QAbstractItemModelTester through resets, and each row carries the
// block it leads to.

#include "models/SearchResultsModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace dms;

class TestSearchResultsModel : public QObject {
    Q_OBJECT
private slots:
    void rowsCarryTheirTargets() {
        SearchResultsModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(m.rowCount(), 0);
        m.setHits({{QStringLiteral("thin 1, virtual block 5"), QStringLiteral("time 0"),
                    BlockRef::metadata(12)},
                   {QStringLiteral("thin 2, virtual block 5"), QStringLiteral("time 1"),
                    BlockRef::metadata(13)}});
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.index(1, SearchResultsModel::WhatColumn).data().toString(),
                 QStringLiteral("thin 2, virtual block 5"));
        QCOMPARE(m.index(1, SearchResultsModel::TargetColumn).data().toString(),
                 QStringLiteral("metadata block 13"));
        QCOMPARE(m.index(0, 2).data(SearchResultsModel::BlockRefRole).value<BlockRef>(),
                 BlockRef::metadata(12));
        m.clear();
        QCOMPARE(m.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSearchResultsModel)
#include "tst_searchresultsmodel.moc"
