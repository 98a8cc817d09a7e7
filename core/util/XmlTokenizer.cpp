#include "core/util/XmlTokenizer.h"

#include <cctype>

namespace dms {

Expected<std::optional<XmlElement>> XmlTokenizer::next() {
    for (;;) {
        int c = get();
        while (c != EOF && c != '<') {
            if (!std::isspace(c)) return error("unexpected text");
            c = get();
        }
        if (c == EOF) return std::optional<XmlElement>();
        std::string raw;
        for (c = get(); c != EOF && c != '>'; c = get())
            raw.push_back(static_cast<char>(c));
        if (c == EOF) return error("unterminated element");
        if (raw.rfind("?", 0) == 0) continue; // <?xml ...?>
        if (raw.rfind("!--", 0) == 0) {
            while (raw.size() < 5 || raw.compare(raw.size() - 2, 2, "--") != 0) {
                c = get();
                if (c == EOF) return error("unterminated comment");
                raw.push_back('>');
                for (; c != EOF && c != '>'; c = get())
                    raw.push_back(static_cast<char>(c));
            }
            continue;
        }
        return parse(raw);
    }
}

Expected<std::optional<XmlElement>> XmlTokenizer::parse(std::string raw) {
    XmlElement e;
    std::size_t i = 0;
    if (!raw.empty() && raw[0] == '/') {
        e.closing = true;
        i = 1;
    }
    if (!raw.empty() && raw.back() == '/') {
        e.selfClosing = true;
        raw.pop_back();
    }
    auto skipSpace = [&] {
        while (i < raw.size() && std::isspace(static_cast<unsigned char>(raw[i])))
            ++i;
    };
    while (i < raw.size() && !std::isspace(static_cast<unsigned char>(raw[i])))
        e.name.push_back(raw[i++]);
    if (e.name.empty()) return error("element without a name");
    for (;;) {
        skipSpace();
        if (i >= raw.size()) break;
        const std::size_t eq = raw.find('=', i);
        if (eq == std::string::npos) return error("attribute without a value in <" + e.name + ">");
        std::string key = raw.substr(i, eq - i);
        while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back())))
            key.pop_back();
        i = eq + 1;
        skipSpace();
        if (i >= raw.size() || (raw[i] != '"' && raw[i] != '\''))
            return error("unquoted attribute " + key + " in <" + e.name + ">");
        const char q = raw[i++];
        const std::size_t end = raw.find(q, i);
        if (end == std::string::npos) return error("unterminated attribute " + key);
        e.attrs[key] = raw.substr(i, end - i);
        i = end + 1;
    }
    return std::optional<XmlElement>(std::move(e));
}

} // namespace dms
