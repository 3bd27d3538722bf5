// tests/text/samples.h: one sentence in every language of issue 3 with the font set its pack would
// use, plus mixed-direction cases. Shared by the golden panels, the tests and the benchmarks.
#pragma once
#include <string>
#include <vector>

#include "text/engine.h"

namespace htk::test {

struct Sample {
    std::string name;                   // English name of the language, for labels
    std::string tag;                    // BCP 47 tag, as the pack's manifest would say
    std::vector<std::string> families;  // fonts in fallback order
    text::Direction direction;
    std::string text;
};

// Every language of the issue, Latin first, then right-to-left, Indic, Ethiopic, Chinese.
// The translations are drafts for rendering tests, not reviewed copy.
const std::vector<Sample>& LanguageSamples();
const std::vector<Sample>& MixedSamples();  // Latin and digits in Urdu, Arabic in English, brackets in RTL
const Sample& SampleFor(const std::string& tag);  // from either list; aborts if absent

text::FontSetSpec SpecOf(const Sample& s);

}  // namespace htk::test
