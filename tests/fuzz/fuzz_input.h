// tests/fuzz/fuzz_input.h: reads a fuzz input as a sequence of choices (a small FuzzedDataProvider
// that g++ builds have too), and the checks every target shares. Test code only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace htk::fuzz {

// A broken invariant: say which, then abort so that libFuzzer (or the replay driver) keeps the input.
[[noreturn]] inline void Fail(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz invariant broken: %s [%.*s]\n", what, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

#define HTK_FUZZ_CHECK(cond, detail) \
    do {                             \
        if (!(cond)) ::htk::fuzz::Fail(#cond, detail); \
    } while (0)

// Every choice reads from the front; when the input runs out, every choice is 0 or empty, so a short
// input is still a valid (small) case.
class Input {
public:
    Input(const std::uint8_t* data, std::size_t size) : m_rest(reinterpret_cast<const char*>(data), size) {}

    bool Empty() const { return m_rest.empty(); }
    std::size_t Left() const { return m_rest.size(); }

    std::uint8_t Byte() {
        if (m_rest.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(m_rest.front());
        m_rest.remove_prefix(1);
        return b;
    }
    bool Bool() { return (Byte() & 1) != 0; }
    std::uint64_t Bits(int bytes) {  // little-endian, up to 8 bytes
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i) v |= static_cast<std::uint64_t>(Byte()) << (8 * i);
        return v;
    }
    std::int64_t Int64() { return static_cast<std::int64_t>(Bits(8)); }
    double Double() {
        const std::uint64_t bits = Bits(8);
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    // One of n choices (n >= 1).
    std::size_t Pick(std::size_t n) { return n <= 256 ? Byte() % n : static_cast<std::size_t>(Bits(2) % n); }
    template <class T, std::size_t N>
    const T& PickFrom(const T (&items)[N]) {
        return items[Pick(N)];
    }
    // Bytes up to the next separator (consumed, not returned), or the rest.
    std::string_view Until(char separator) {
        const auto at = m_rest.find(separator);
        const std::string_view out = m_rest.substr(0, at);
        m_rest.remove_prefix(at == std::string_view::npos ? m_rest.size() : at + 1);
        return out;
    }
    std::string_view Take(std::size_t n) {
        const std::string_view out = m_rest.substr(0, n);
        m_rest.remove_prefix(out.size());
        return out;
    }
    std::string_view Rest() { return Take(m_rest.size()); }

private:
    std::string_view m_rest;
};

// Well-formed UTF-8 (no surrogates, nothing above U+10FFFF, shortest forms only).
inline bool IsUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        int need = 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (b < 0x80) need = 0;
        else if (b >= 0xC2 && b <= 0xDF) need = 1;
        else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            if (b == 0xE0) lo = 0xA0;
            if (b == 0xED) hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            if (b == 0xF0) lo = 0x90;
            if (b == 0xF4) hi = 0x8F;
        } else
            return false;
        if (need > 0 && s.size() - i <= static_cast<std::size_t>(need)) return false;  // cut short
        for (int k = 1; k <= need; ++k) {
            const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if (c < (k == 1 ? lo : 0x80u) || c > (k == 1 ? hi : 0xBFu)) return false;
        }
        i += static_cast<std::size_t>(need) + 1;
    }
    return true;
}

}  // namespace htk::fuzz
