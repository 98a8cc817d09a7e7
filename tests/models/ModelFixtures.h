#pragma once
// Shared by the model tests: the images every model is run on (the demo pool and each thin
// fixture), opened as documents, and helpers to fetch a lazy model completely.

#include "models/ThinPoolDocument.h"

#include <QAbstractItemModel>
#include <QStringList>
#include <memory>
#include <vector>

namespace dms::test {

// Thin-pool fixtures under tests/fixtures (kernel-, tool- and LVM-written).
const QStringList& thinFixtureNames();

// A document over bytes in memory, named for messages.
std::shared_ptr<ThinPoolDocument> documentFromBytes(std::vector<std::uint8_t> bytes,
                                                    const QString& name);
// The demo pool and every thin fixture, with their names.
std::vector<std::pair<QString, std::shared_ptr<ThinPoolDocument>>> allDocuments();

// Fetches every row under parent, depth first, up to maxRows rows in all (returns rows seen).
int fetchAll(QAbstractItemModel& model, const QModelIndex& parent = {}, int maxRows = 1 << 20);

} // namespace dms::test
