#pragma once
// Steps through the trace events of an edit session's pending operations (and the commit that
// would follow), as a debugger steps through code: a table of events with a current position,
// and at each position the metadata space map's state and its ring buffer's contents, rebuilt
// from the BopPushed/BopPopped events seen so far. Position -1 is before the first event.

#include "models/edit/EditSession.h"

#include "core/spacemap/BlockOpRing.h"
#include "core/trace/TraceEvent.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <array>

namespace dms {

class EventStepper final : public QAbstractTableModel {
    Q_OBJECT
public:
    // A run of events belonging to one operation (or to the commit).
    struct Segment {
        QString label;
        int first = 0;
        int count = 0;
        bool commit = false;
    };
    struct RingSlot {
        bool queued = false; // between the ring's begin and end at the current position
        BlockOpType type = BlockOpType::Inc;
        std::uint64_t begin = 0;
        std::uint64_t end = 0; // exclusive
        int pushedAt = -1;     // event index
    };
    using Ring = std::array<RingSlot, BlockOpRing::kSlots>;

    enum Column {
        IndexColumn,
        OperationColumn,
        SourceColumn,
        KindColumn,
        DetailColumn,
        DepthColumn,
        RingColumn,
        FreeColumn,
        ColumnCount
    };
    enum Role { IsCurrentRole = Qt::UserRole + 1, IsDoneRole, SegmentRole };

    explicit EventStepper(QObject* parent = nullptr);

    // Follows the session: every change of its operations reloads loadPending().
    void setSession(EditSession* session);
    EditSession* session() const { return session_; }
    // The events of every pending operation and of the commit that would follow.
    void loadPending();
    // The events of the last pending operation only.
    void loadLastOperation();
    void setEvents(std::vector<TraceEvent> events, std::vector<Segment> segments,
                   const SpaceMapState& initial);

    int eventCount() const { return static_cast<int>(events_.size()); }
    const std::vector<TraceEvent>& events() const { return events_; }
    const std::vector<Segment>& segments() const { return segments_; }
    int segmentOf(int event) const;
    int position() const { return position_; }
    bool atEnd() const { return position_ + 1 >= eventCount(); }
    const TraceEvent* current() const;

    void setPosition(int position);
    bool step();        // one event
    bool stepOp();      // to the next OpRequested event
    void continueRun(); // to the last event of the current operation (the next one's at its end)
    void runToCommit(); // to the last event before the commit (the end when there is none)
    void reset();       // before the first event

    // At the current position: the metadata space map's state, its ring, and the threshold.
    const SpaceMapState& state() const { return state_; }
    const Ring& ring() const { return ring_; }
    std::uint32_t ringFill() const;
    std::optional<std::uint64_t> lastThresholdCheck() const { return lastCheck_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    static QString describe(const TraceEvent& e);

signals:
    void positionChanged(int position);
    void eventsReloaded();

private:
    void apply(const TraceEvent& e, int index);
    void rebuildTo(int position);

    QPointer<EditSession> session_;
    QMetaObject::Connection connection_;
    std::vector<TraceEvent> events_;
    std::vector<Segment> segments_;
    SpaceMapState initial_;
    SpaceMapState state_;
    Ring ring_{};
    std::optional<std::uint64_t> lastCheck_;
    std::optional<std::uint64_t> pendingCheck_;
    int position_ = -1;
};

} // namespace dms
