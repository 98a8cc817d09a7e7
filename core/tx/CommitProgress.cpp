#include "core/tx/CommitProgress.h"

namespace dms {

const char* commitPhaseName(CommitPhase phase) {
    switch (phase) {
    case CommitPhase::WritingBlocks:
        return "writing blocks";
    case CommitPhase::FlushingBlocks:
        return "flush";
    case CommitPhase::WritingSuperblock:
        return "writing superblock";
    case CommitPhase::FlushingSuperblock:
        return "flush";
    case CommitPhase::Done:
        return "done";
    }
    return "?";
}

} // namespace dms
