#include "core/thin/ThinXmlReader.h"

#include <charconv>
#include <map>
#include <string>

namespace dms {
namespace {

struct Element {
    std::string name;
    std::map<std::string, std::string> attrs;
    bool closing = false;     // </name>
    bool selfClosing = false; // <name/>
};

class Tokenizer {
public:
    explicit Tokenizer(std::istream& in) : in_(in) {}

    // The next element, or nullopt at the end. Text between elements must be blank.
    Expected<std::optional<Element>> next() {
        for (;;) {
            int c = get();
            while (c != EOF && c != '<') {
                if (!std::isspace(c)) return error("unexpected text");
                c = get();
            }
            if (c == EOF) return std::optional<Element>();
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
    Error error(const std::string& what) const {
        return makeError(ErrorKind::Corrupt, "XML line " + std::to_string(line_) + ": " + what);
    }

private:
    int get() {
        const int c = in_.get();
        if (c == '\n') ++line_;
        return c;
    }
    Expected<std::optional<Element>> parse(std::string raw) {
        Element e;
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
            if (eq == std::string::npos)
                return error("attribute without a value in <" + e.name + ">");
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
        return std::optional<Element>(std::move(e));
    }

    std::istream& in_;
    std::uint64_t line_ = 1;
};

template <class T>
Status number(const Tokenizer& tok, const Element& e, const char* name, T& out, bool required) {
    auto it = e.attrs.find(name);
    if (it == e.attrs.end()) {
        if (required) return tok.error("<" + e.name + "> lacks " + name);
        return Status::success();
    }
    const std::string& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || p != s.data() + s.size())
        return tok.error(std::string(name) + "=\"" + s + "\" is not a number");
    return Status::success();
}

} // namespace

Status readThinXml(std::istream& in, ThinXmlHandler& h) {
    Tokenizer tok(in);
    enum class Where { Top, Superblock, Device, Done } where = Where::Top;
    for (;;) {
        auto next = tok.next();
        if (!next) return next.error();
        if (!*next) break;
        const Element& e = **next;
        Status s;
        if (where == Where::Top && e.name == "superblock" && !e.closing) {
            ThinXmlSuperblock sb;
            if (!(s = number(tok, e, "time", sb.time, true))) return s;
            if (!(s = number(tok, e, "transaction", sb.transaction, true))) return s;
            if (!(s = number(tok, e, "flags", sb.flags, false))) return s;
            if (!(s = number(tok, e, "version", sb.version, false))) return s;
            if (!(s = number(tok, e, "data_block_size", sb.dataBlockSize, true))) return s;
            if (!(s = number(tok, e, "nr_data_blocks", sb.nrDataBlocks, true))) return s;
            if (!(s = h.superblock(sb))) return s;
            where = e.selfClosing ? Where::Done : Where::Superblock;
            if (where == Where::Done && !(s = h.endSuperblock())) return s;
        } else if (where == Where::Superblock && e.name == "device" && !e.closing) {
            std::uint64_t id = 0;
            DeviceDetails d;
            if (!(s = number(tok, e, "dev_id", id, true))) return s;
            if (!(s = number(tok, e, "mapped_blocks", d.mappedBlocks, false))) return s;
            if (!(s = number(tok, e, "transaction", d.transactionId, false))) return s;
            if (!(s = number(tok, e, "creation_time", d.creationTime, false))) return s;
            if (!(s = number(tok, e, "snap_time", d.snapshottedTime, false))) return s;
            if (!(s = h.beginDevice(id, d))) return s;
            if (e.selfClosing) {
                if (!(s = h.endDevice())) return s;
            } else {
                where = Where::Device;
            }
        } else if (where == Where::Device && e.name == "range_mapping" && e.selfClosing) {
            ThinXmlMapping m;
            if (!(s = number(tok, e, "origin_begin", m.originBegin, true))) return s;
            if (!(s = number(tok, e, "data_begin", m.dataBegin, true))) return s;
            if (!(s = number(tok, e, "length", m.length, true))) return s;
            if (!(s = number(tok, e, "time", m.time, false))) return s;
            if (!(s = h.mapping(m))) return s;
        } else if (where == Where::Device && e.name == "single_mapping" && e.selfClosing) {
            ThinXmlMapping m;
            if (!(s = number(tok, e, "origin_block", m.originBegin, true))) return s;
            if (!(s = number(tok, e, "data_block", m.dataBegin, true))) return s;
            if (!(s = number(tok, e, "time", m.time, false))) return s;
            if (!(s = h.mapping(m))) return s;
        } else if (where == Where::Device && e.name == "device" && e.closing) {
            if (!(s = h.endDevice())) return s;
            where = Where::Superblock;
        } else if (where == Where::Superblock && e.name == "superblock" && e.closing) {
            if (!(s = h.endSuperblock())) return s;
            where = Where::Done;
        } else {
            return tok.error("unexpected <" + std::string(e.closing ? "/" : "") + e.name + ">");
        }
    }
    if (where != Where::Done) return tok.error("the document ends before </superblock>");
    return Status::success();
}

} // namespace dms
