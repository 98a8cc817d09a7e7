#pragma once
// The superblock table: field, value, offset, meaning; the meaning column takes the spare width.

#include <QTableView>

namespace dms {

class SuperblockModel;

class SuperblockView : public QTableView {
    Q_OBJECT
public:
    explicit SuperblockView(QWidget* parent = nullptr);
    void setSuperblockModel(SuperblockModel* model);
};

} // namespace dms
