// NameKeys over ICU: a compound Transliterator for folding, a Collator for sort keys.
#include "i18n/name_keys.h"

#include <unicode/coll.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <vector>

namespace htk::i18n {

struct NameKeys::Impl {
    std::unique_ptr<icu::Transliterator> fold;
    std::unique_ptr<icu::Collator> collator;
};

NameKeys::NameKeys() : m_impl(std::make_unique<Impl>()) {
    UErrorCode status = U_ZERO_ERROR;
    // Marks go in every script (Arabic harakat, Latin accents); Latin-ASCII then takes the letters
    // that do not decompose (ł, ı, ø, ß) to what a receptionist types on a UK keyboard.
    m_impl->fold.reset(icu::Transliterator::createInstance(
        "NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Any-Lower; [:Cf:] Remove", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) m_impl->fold.reset();
    status = U_ZERO_ERROR;
    m_impl->collator.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) m_impl->collator.reset();
}

NameKeys::~NameKeys() = default;

std::string NameKeys::Fold(std::string_view text) const {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    if (m_impl->fold) m_impl->fold->transliterate(u);
    else u.foldCase();
    std::string out;
    u.toUTF8String(out);
    return out;
}

std::string NameKeys::SortKey(std::string_view text) const {
    if (!m_impl->collator) return std::string(text);
    const icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    std::vector<uint8_t> key(64);
    int32_t n = m_impl->collator->getSortKey(u, key.data(), static_cast<int32_t>(key.size()));
    if (n > static_cast<int32_t>(key.size())) {
        key.resize(static_cast<std::size_t>(n));
        n = m_impl->collator->getSortKey(u, key.data(), n);
    }
    // The key ends in a NUL that std::string need not keep.
    return std::string(reinterpret_cast<const char*>(key.data()), n > 0 ? static_cast<std::size_t>(n - 1) : 0);
}

}  // namespace htk::i18n
