#pragma once
// Command-line options for dmscope-cli sub-commands: a declared option list, GNU-style parsing
// (--name VALUE, --name=VALUE, -x VALUE, -xVALUE), positional arguments kept in order.

#include "core/Expected.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dms::cli {

struct OptionSpec {
    enum class Kind { Flag, Value, OptionalValue }; // OptionalValue: only as --name=VALUE
    std::string name;                               // without dashes, e.g. "metadata-snap"
    char shortName = 0;
    Kind kind = Kind::Flag;
    std::string help;
};

class CliArgs {
public:
    static Expected<CliArgs> parse(const std::vector<std::string>& argv,
                                   const std::vector<OptionSpec>& spec);

    bool has(const std::string& name) const { return values_.count(name) != 0; }
    // The option's value ("" for a flag or an optional value not given).
    std::optional<std::string> value(const std::string& name) const;
    // Every value an option was given, in command-line order (for repeatable options).
    std::vector<std::string> values(const std::string& name) const;
    // The option as an unsigned number; a usage error names the option when it is not one.
    Expected<std::optional<std::uint64_t>> number(const std::string& name) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::map<std::string, std::string> values_;
    std::map<std::string, std::vector<std::string>> allValues_;
    std::vector<std::string> positional_;
};

Expected<std::uint64_t> parseUnsigned(const std::string& text, const std::string& what);

} // namespace dms::cli
