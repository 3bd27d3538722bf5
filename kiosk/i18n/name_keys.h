// Keys that let staff find and sort patients' names in any script: a folded form for search
// (case, accents and marks ignored; Latin letters such as ł and ı reduced to ASCII so "lukasz
// yilmaz" finds "Łukasz Yılmaz") and an ICU collation sort key. One object per thread.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace htk::i18n {

class NameKeys {
public:
    NameKeys();  // builds ICU's transliterator and collator once (a few milliseconds)
    ~NameKeys();
    NameKeys(const NameKeys&) = delete;
    NameKeys& operator=(const NameKeys&) = delete;

    // For substring search: fold the text and the query alike, then compare bytes.
    std::string Fold(std::string_view text) const;
    // ICU root collation at tertiary strength: std::string's < orders names as a reader expects.
    std::string SortKey(std::string_view text) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace htk::i18n
