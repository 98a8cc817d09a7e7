#include "models/edit/EventStepper.h"

#include "models/edit/EditSession.h"

#include <QBrush>
#include <QFont>

namespace dms {
namespace {

const char* sourceName(TraceSource s) {
    switch (s) {
    case TraceSource::MetadataSpaceMap:
        return "meta-sm";
    case TraceSource::DataSpaceMap:
        return "data-sm";
    case TraceSource::TransactionManager:
        return "tm";
    }
    return "?";
}

std::uint32_t prevSlot(std::uint32_t i) {
    return i == 0 ? BlockOpRing::kSlots - 1 : i - 1;
}

} // namespace

EventStepper::EventStepper(QObject* parent) : QAbstractTableModel(parent) {}

void EventStepper::setSession(EditSession* session) {
    if (connection_) disconnect(connection_);
    session_ = session;
    if (session_)
        connection_ =
            connect(session_, &EditSession::operationsChanged, this, &EventStepper::loadPending);
    loadPending();
}

void EventStepper::loadPending() {
    std::vector<TraceEvent> events;
    std::vector<Segment> segments;
    if (!session_) {
        setEvents({}, {}, SpaceMapState{});
        return;
    }
    for (const PendingOperation& p : session_->operations()) {
        segments.push_back({p.op.describe(), static_cast<int>(events.size()),
                            static_cast<int>(p.events.size()), false});
        events.insert(events.end(), p.events.begin(), p.events.end());
    }
    if (session_->hasPendingOperations()) {
        const auto& c = session_->commitEvents();
        segments.push_back(
            {tr("Commit"), static_cast<int>(events.size()), static_cast<int>(c.size()), true});
        events.insert(events.end(), c.begin(), c.end());
    }
    setEvents(std::move(events), std::move(segments), session_->initialState());
}

void EventStepper::loadLastOperation() {
    if (!session_ || !session_->hasPendingOperations()) {
        setEvents({}, {}, session_ ? session_->initialState() : SpaceMapState{});
        return;
    }
    const auto& ops = session_->operations();
    SpaceMapState initial = session_->initialState();
    for (std::size_t i = 0; i + 1 < ops.size(); ++i)
        for (const TraceEvent& e : ops[i].events)
            if (e.source == TraceSource::MetadataSpaceMap) initial = e.state;
    const PendingOperation& last = ops.back();
    setEvents(last.events, {{last.op.describe(), 0, static_cast<int>(last.events.size()), false}},
              initial);
}

void EventStepper::setEvents(std::vector<TraceEvent> events, std::vector<Segment> segments,
                             const SpaceMapState& initial) {
    beginResetModel();
    events_ = std::move(events);
    segments_ = std::move(segments);
    initial_ = initial;
    rebuildTo(-1);
    endResetModel();
    emit eventsReloaded();
    emit positionChanged(position_);
}

int EventStepper::segmentOf(int event) const {
    for (int i = 0; i < static_cast<int>(segments_.size()); ++i)
        if (event >= segments_[i].first && event < segments_[i].first + segments_[i].count)
            return i;
    return -1;
}

const TraceEvent* EventStepper::current() const {
    return position_ >= 0 && position_ < eventCount() ? &events_[position_] : nullptr;
}

void EventStepper::apply(const TraceEvent& e, int index) {
    // The threshold records a checked value once its check is over (after a fire), as the
    // ThresholdChecked event comes before the check: at that event it is still armed.
    if (pendingCheck_) {
        lastCheck_ = pendingCheck_;
        pendingCheck_.reset();
    }
    if (e.source != TraceSource::MetadataSpaceMap) return;
    state_ = e.state;
    if (e.kind == TraceKind::BopPushed) {
        RingSlot& s = ring_[prevSlot(e.state.ringEnd)];
        s.queued = true;
        s.type = e.op == "dec" ? BlockOpType::Dec : BlockOpType::Inc;
        s.begin = e.oldValue;
        s.end = e.newValue;
        s.pushedAt = index;
    } else if (e.kind == TraceKind::BopPopped) {
        ring_[prevSlot(e.state.ringBegin)].queued = false;
    } else if (e.kind == TraceKind::ThresholdChecked) {
        pendingCheck_ = e.newValue;
    }
}

void EventStepper::rebuildTo(int position) {
    state_ = initial_;
    ring_ = Ring{};
    lastCheck_.reset();
    pendingCheck_.reset();
    position_ = std::clamp(position, -1, eventCount() - 1);
    for (int i = 0; i <= position_; ++i)
        apply(events_[i], i);
}

void EventStepper::setPosition(int position) {
    position = std::clamp(position, -1, eventCount() - 1);
    if (position == position_) return;
    const int old = position_;
    if (position > position_) {
        for (int i = position_ + 1; i <= position; ++i)
            apply(events_[i], i);
        position_ = position;
    } else {
        rebuildTo(position);
    }
    const int lo = std::max(0, std::min(old, position));
    const int hi = std::max(old, position);
    if (hi >= 0 && hi < eventCount()) emit dataChanged(index(lo, 0), index(hi, ColumnCount - 1));
    emit positionChanged(position_);
}

bool EventStepper::step() {
    if (atEnd()) return false;
    setPosition(position_ + 1);
    return true;
}

bool EventStepper::stepOp() {
    if (atEnd()) return false;
    int p = position_ + 1;
    while (p + 1 < eventCount() && events_[p + 1].kind != TraceKind::OpRequested)
        ++p;
    setPosition(p + 1 < eventCount() ? p + 1 : p);
    return true;
}

void EventStepper::continueRun() {
    if (atEnd()) return;
    const int seg = segmentOf(position_ + 1);
    if (seg < 0) {
        setPosition(eventCount() - 1);
        return;
    }
    setPosition(segments_[seg].first + segments_[seg].count - 1);
}

void EventStepper::runToCommit() {
    for (const Segment& s : segments_)
        if (s.commit) {
            setPosition(s.first - 1);
            return;
        }
    setPosition(eventCount() - 1);
}

void EventStepper::reset() {
    setPosition(-1);
}

std::uint32_t EventStepper::ringFill() const {
    return (state_.ringEnd + BlockOpRing::kSlots - state_.ringBegin) % BlockOpRing::kSlots;
}

QString EventStepper::describe(const TraceEvent& e) {
    switch (e.kind) {
    case TraceKind::BlockShadowed:
        return QStringLiteral("block %1 -> copy %2").arg(e.block).arg(e.newBlock);
    case TraceKind::BitmapEntryChanged:
    case TraceKind::RefCountTreeChanged:
        return QStringLiteral("block %1: %2 -> %3").arg(e.block).arg(e.oldValue).arg(e.newValue);
    case TraceKind::RecursionDepth:
        return QStringLiteral("depth %1 -> %2").arg(e.oldValue).arg(e.newValue);
    case TraceKind::ThresholdChecked:
    case TraceKind::ThresholdFired:
        return QStringLiteral("free %1, threshold %2").arg(e.newValue).arg(e.oldValue);
    case TraceKind::BopPushed:
    case TraceKind::BopPopped:
        if (e.newValue > e.oldValue + 1)
            return QStringLiteral("%1 blocks %2..%3")
                .arg(QString::fromStdString(e.op))
                .arg(e.oldValue)
                .arg(e.newValue - 1);
        return QStringLiteral("%1 block %2").arg(QString::fromStdString(e.op)).arg(e.block);
    case TraceKind::IndexEntryChanged:
        return QStringLiteral("index %1: bitmap %2 -> %3")
            .arg(e.block)
            .arg(e.oldValue)
            .arg(e.newValue);
    case TraceKind::Committed:
        if (e.op == "extend")
            return QStringLiteral("round: cursor %1 -> %2").arg(e.oldValue).arg(e.newValue);
        return QStringLiteral("block %1").arg(e.block);
    case TraceKind::ModeChanged:
        return QString::fromStdString(e.op);
    default:
        return QStringLiteral("block %1").arg(e.block);
    }
}

int EventStepper::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : eventCount();
}

int EventStepper::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventStepper::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= eventCount()) return {};
    const TraceEvent& e = events_[index.row()];
    const bool meta = e.source == TraceSource::MetadataSpaceMap;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case IndexColumn:
            return index.row() + 1;
        case OperationColumn: {
            const int seg = segmentOf(index.row());
            return seg < 0 ? QVariant() : segments_[seg].label;
        }
        case SourceColumn:
            return QString::fromLatin1(sourceName(e.source));
        case KindColumn:
            return QString::fromLatin1(traceKindName(e.kind)) +
                   (e.op.empty() ? QString() : QStringLiteral(" ") + QString::fromStdString(e.op));
        case DetailColumn:
            return describe(e);
        case DepthColumn:
            return meta ? QVariant(e.state.recursionDepth) : QVariant();
        case RingColumn:
            return meta ? QVariant(
                              QStringLiteral("[%1,%2)").arg(e.state.ringBegin).arg(e.state.ringEnd))
                        : QVariant();
        case FreeColumn:
            return e.source == TraceSource::TransactionManager
                       ? QVariant()
                       : QVariant(qulonglong(e.state.nrFree));
        }
        return {};
    }
    if (role == IsCurrentRole) return index.row() == position_;
    if (role == IsDoneRole) return index.row() <= position_;
    if (role == SegmentRole) return segmentOf(index.row());
    if (role == Qt::FontRole && index.row() == position_) {
        QFont f;
        f.setBold(true);
        return f;
    }
    return {};
}

QVariant EventStepper::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"#",      "Operation", "Source", "Event",
                                  "Detail", "Depth",     "Ring",   "Free"};
    if (section < 0 || section >= ColumnCount) return {};
    return tr(names[section]);
}

} // namespace dms
