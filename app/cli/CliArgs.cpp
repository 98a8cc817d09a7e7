#include "app/cli/CliArgs.h"

#include <charconv>

namespace dms::cli {

Expected<std::uint64_t> parseUnsigned(const std::string& text, const std::string& what) {
    std::uint64_t v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || p != end)
        return makeError(ErrorKind::Usage,
                         what + " needs a non-negative number, not '" + text + "'");
    return v;
}

std::optional<std::string> CliArgs::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> CliArgs::values(const std::string& name) const {
    auto it = allValues_.find(name);
    if (it == allValues_.end()) return {};
    return it->second;
}

Expected<std::optional<std::uint64_t>> CliArgs::number(const std::string& name) const {
    auto v = value(name);
    if (!v) return std::optional<std::uint64_t>();
    auto n = parseUnsigned(*v, "--" + name);
    if (!n) return n.takeError();
    return std::optional<std::uint64_t>(*n);
}

Expected<CliArgs> CliArgs::parse(const std::vector<std::string>& argv,
                                 const std::vector<OptionSpec>& spec) {
    CliArgs out;
    auto findLong = [&](const std::string& n) -> const OptionSpec* {
        for (const auto& s : spec)
            if (s.name == n) return &s;
        return nullptr;
    };
    auto findShort = [&](char c) -> const OptionSpec* {
        for (const auto& s : spec)
            if (s.shortName == c) return &s;
        return nullptr;
    };
    bool onlyPositional = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (onlyPositional || a.size() < 2 || a[0] != '-') {
            out.positional_.push_back(a);
            continue;
        }
        if (a == "--") {
            onlyPositional = true;
            continue;
        }
        const OptionSpec* s = nullptr;
        std::optional<std::string> inlineValue;
        std::string shown = a;
        if (a.rfind("--", 0) == 0) {
            const auto eq = a.find('=');
            const std::string name =
                a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            if (eq != std::string::npos) inlineValue = a.substr(eq + 1);
            s = findLong(name);
            shown = "--" + name;
        } else {
            s = findShort(a[1]);
            if (a.size() > 2) inlineValue = a.substr(2);
            shown = a.substr(0, 2);
        }
        if (!s) return makeError(ErrorKind::Usage, "unknown option " + shown);
        switch (s->kind) {
        case OptionSpec::Kind::Flag:
            if (inlineValue) return makeError(ErrorKind::Usage, shown + " takes no value");
            out.values_[s->name] = "";
            break;
        case OptionSpec::Kind::OptionalValue:
            out.values_[s->name] = inlineValue.value_or("");
            break;
        case OptionSpec::Kind::Value:
            if (inlineValue) {
                out.values_[s->name] = *inlineValue;
            } else {
                if (i + 1 >= argv.size())
                    return makeError(ErrorKind::Usage, shown + " needs a value");
                out.values_[s->name] = argv[++i];
            }
            break;
        }
        out.allValues_[s->name].push_back(out.values_[s->name]);
    }
    return out;
}

} // namespace dms::cli
