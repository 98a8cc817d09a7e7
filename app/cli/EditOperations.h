#pragma once
// The edit operations of `dmscope-cli edit`, parsed from the command line and applied to a
// ThinPoolEditor in order. A word that names an operation ends the previous one's optional
// arguments.

#include "core/thin/ThinPoolEditor.h"

#include <string>
#include <vector>

namespace dms::cli {

struct EditOperation {
    std::string name;
    std::vector<std::uint64_t> numbers; // numeric arguments in order
    std::string target;                 // "meta" or "data" for set-count/inc/dec
    std::string describe() const;
};

// The operation names and their synopsis, for help text.
const std::vector<std::pair<std::string, std::string>>& editOperationSynopses();

Expected<std::vector<EditOperation>> parseEditOperations(const std::vector<std::string>& words);

// Applies one operation; `warn` receives warnings for expert operations.
Status applyEditOperation(ThinPoolEditor& editor, const EditOperation& op, std::ostream& warn);

} // namespace dms::cli
