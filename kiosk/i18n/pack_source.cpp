// A small recursive-descent reader for the resource bundle subset of pack_source.h.
#include "i18n/pack_source.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace htk::i18n {

const SourceEntry* BundleSource::Find(std::string_view key) const {
    for (const auto& e : entries)
        if (e.key == key) return &e;
    return nullptr;
}

namespace {

class Reader {
public:
    Reader(std::string_view text, const std::string& file) : m_text(text), m_file(file) {}

    core::Result<BundleSource> Parse() {
        if (auto bad = CheckUtf8(); !bad.empty()) return Fail(bad);
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;
        BundleSource out;
        SkipSpaceAndComments();
        out.name = Identifier();
        if (out.name.empty()) return Fail("expected the bundle's locale name");
        if (!Expect('{')) return Fail("expected '{' after " + out.name);
        if (!Table("", out, {})) return Fail(m_error);
        SkipSpaceAndComments();
        if (m_pos != m_text.size()) return Fail("unexpected text after the bundle's closing '}'");
        return out;
    }

private:
    core::Error Fail(const std::string& why) const {
        return core::Fail(core::Errc::InvalidInput, m_file + ":" + std::to_string(m_line) + ": " + why);
    }

    std::string CheckUtf8() {
        const auto* s = reinterpret_cast<const uint8_t*>(m_text.data());
        const auto n = static_cast<int32_t>(m_text.size());
        for (int32_t i = 0; i < n;) {
            UChar32 c = 0;
            U8_NEXT(s, i, n, c);
            if (c < 0) {
                m_line = 1 + static_cast<int>(std::count(m_text.begin(), m_text.begin() + i, '\n'));
                return "not valid UTF-8 (packs must be saved as UTF-8)";
            }
        }
        return {};
    }

    // `pending` holds the comments already passed over before the first key of this table.
    bool Table(const std::string& prefix, BundleSource& out, std::string pending) {
        while (true) {
            std::string note = std::move(pending) + SkipSpaceAndComments();
            pending.clear();
            if (m_pos >= m_text.size()) return Error("missing '}' at the end of the file");
            if (m_text[m_pos] == '}') {
                ++m_pos;
                return true;
            }
            const int key_line = m_line;
            const std::string key = Identifier();
            if (key.empty()) return Error("expected a key");
            const std::string full = prefix.empty() ? key : prefix + "." + key;
            if (!Expect('{')) return Error("expected '{' after " + full);
            std::string inner = SkipSpaceAndComments();
            if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                std::string value;
                while (m_pos < m_text.size() && m_text[m_pos] == '"') {
                    if (!String(value)) return false;
                    SkipSpaceAndComments();
                }
                if (!Expect('}')) return Error("expected '}' after the string of " + full);
                if (!m_seen.insert(full).second) {
                    m_line = key_line;
                    return Error("key " + full + " appears twice");
                }
                out.entries.push_back({full, std::move(value), key_line, Trim(note)});
            } else {
                if (!Table(full, out, std::move(inner))) return false;
            }
        }
    }

    bool String(std::string& value) {
        ++m_pos;  // opening quote
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '"') return true;
            if (c == '\n') ++m_line;
            if (c != '\\') {
                value += c;
                continue;
            }
            if (m_pos >= m_text.size()) break;
            const char e = m_text[m_pos++];
            switch (e) {
                case 'n': value += '\n'; break;
                case 't': value += '\t'; break;
                case '"': value += '"'; break;
                case '\\': value += '\\'; break;
                case 'u': {
                    if (m_pos + 4 > m_text.size()) return Error("bad \\u escape");
                    unsigned code = 0;
                    for (int i = 0; i < 4; ++i) {
                        const char h = m_text[m_pos++];
                        code <<= 4;
                        if (h >= '0' && h <= '9') code |= static_cast<unsigned>(h - '0');
                        else if (h >= 'a' && h <= 'f') code |= static_cast<unsigned>(h - 'a' + 10);
                        else if (h >= 'A' && h <= 'F') code |= static_cast<unsigned>(h - 'A' + 10);
                        else return Error("bad \\u escape");
                    }
                    if (code >= 0xD800 && code <= 0xDFFF) return Error("\\u escape of a surrogate");
                    uint8_t buf[4];
                    int32_t len = 0;
                    UBool error = false;
                    U8_APPEND(buf, len, 4, static_cast<UChar32>(code), error);
                    if (error) return Error("bad \\u escape");
                    value.append(reinterpret_cast<char*>(buf), static_cast<std::size_t>(len));
                    break;
                }
                default: return Error(std::string("unknown escape \\") + e);
            }
        }
        return Error("string not closed with '\"'");
    }

    std::string Identifier() {
        const auto start = m_pos;
        while (m_pos < m_text.size() &&
               (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'))
            ++m_pos;
        return std::string(m_text.substr(start, m_pos - start));
    }

    bool Expect(char c) {
        SkipSpaceAndComments();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    // Returns the text of the // comments passed over (the translator's note for the next key).
    std::string SkipSpaceAndComments() {
        std::string comments;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '\n') {
                ++m_line;
                ++m_pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                ++m_pos;
            } else if (m_text.substr(m_pos, 2) == "//") {
                const auto end = std::min(m_text.find('\n', m_pos), m_text.size());
                comments += std::string(m_text.substr(m_pos + 2, end - m_pos - 2)) + "\n";
                m_pos = end;
            } else if (m_text.substr(m_pos, 2) == "/*") {
                const auto end = m_text.find("*/", m_pos + 2);
                const auto stop = end == std::string_view::npos ? m_text.size() : end + 2;
                m_line += static_cast<int>(std::count(m_text.begin() + static_cast<long>(m_pos),
                                                      m_text.begin() + static_cast<long>(stop), '\n'));
                m_pos = stop;
            } else {
                break;
            }
        }
        return comments;
    }

    static std::string Trim(const std::string& s) {
        std::string out;
        std::istringstream in(s);
        for (std::string line; std::getline(in, line);) {
            const auto a = line.find_first_not_of(" \t");
            if (a == std::string::npos) continue;
            if (!out.empty()) out += ' ';
            out += line.substr(a);
        }
        return out;
    }

    bool Error(const std::string& why) {
        if (m_error.empty()) m_error = why;
        return false;
    }

    std::string_view m_text;
    const std::string& m_file;
    std::size_t m_pos = 0;
    int m_line = 1;
    std::string m_error;
    std::set<std::string> m_seen;
};

}  // namespace

core::Result<BundleSource> ParseBundleSource(std::string_view text, const std::string& file_name) {
    if (text.size() > kMaxBundleBytes)
        return core::Fail(core::Errc::InvalidInput, file_name + ":1: larger than " + std::to_string(kMaxBundleBytes) + " bytes");
    return Reader(text, file_name).Parse();
}

core::Result<BundleSource> ReadBundleSource(const std::filesystem::path& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return core::Fail(core::Errc::NotFound, file.string() + ": cannot read");
    if (size > kMaxBundleBytes)
        return core::Fail(core::Errc::InvalidInput, file.string() + ":1: larger than " + std::to_string(kMaxBundleBytes) + " bytes");
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return ParseBundleSource(text, file.string());
}

namespace {
std::string Quote(const std::string& value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}
}  // namespace

std::string WriteBundleSource(const BundleSource& bundle, std::string_view header_comment) {
    std::ostringstream out;
    std::istringstream header{std::string(header_comment)};
    for (std::string line; std::getline(header, line);) out << "// " << line << "\n";
    out << bundle.name << " {\n";
    std::vector<std::string> open;  // the table path currently open
    for (const auto& e : bundle.entries) {
        std::vector<std::string> parts;
        for (std::size_t start = 0;;) {
            const auto dot = e.key.find('.', start);
            parts.push_back(e.key.substr(start, dot - start));
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        const std::vector<std::string> tables(parts.begin(), parts.end() - 1);
        std::size_t common = 0;
        while (common < open.size() && common < tables.size() && open[common] == tables[common]) ++common;
        while (open.size() > common) {
            open.pop_back();
            out << std::string(4 * (open.size() + 1), ' ') << "}\n";
        }
        while (open.size() < tables.size()) {
            out << std::string(4 * (open.size() + 1), ' ') << tables[open.size()] << " {\n";
            open.push_back(tables[open.size()]);
        }
        const std::string indent(4 * (open.size() + 1), ' ');
        if (!e.note.empty()) out << indent << "// " << e.note << "\n";
        out << indent << parts.back() << " { " << Quote(e.value) << " }\n";
    }
    while (!open.empty()) {
        open.pop_back();
        out << std::string(4 * (open.size() + 1), ' ') << "}\n";
    }
    out << "}\n";
    return out.str();
}

}  // namespace htk::i18n
