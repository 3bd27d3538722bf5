// The language picker: every installed pack by its own name, in the practice's order.
// Never touches storage.
#pragma once
#include <string>
#include <vector>

#include "ui/ctx.h"
#include "ui/text.h"

namespace htk::ui {

struct LanguageChoice {
    std::string tag;      // BCP 47, e.g. "tr"
    std::string endonym;  // the language in its own words and script ("Türkçe", "اردو")
    Faces faces;          // that language's fonts, to draw its name
    bool operator==(const LanguageChoice&) const = default;
};

struct LanguageView {
    std::vector<LanguageChoice> choices;
    std::string current;  // the tag in use, outlined
    bool operator==(const LanguageView&) const = default;
};

struct LanguageIntent {
    enum Kind { None, Choose, Back } kind = None;
    std::string tag;  // for Choose
};

// A choice's widget ID: "language.<tag>".
std::string LanguageKey(const std::string& tag);

LanguageIntent DrawLanguage(LanguageView& view, const Ctx& ctx);

}  // namespace htk::ui
