// tests/text/samples.cpp: the sample sentences (see samples.h). Romanian uses ș ț with comma below
// (U+0219, U+021B), never the cedilla forms.
#include "samples.h"

#include <cstdio>
#include <cstdlib>

namespace htk::test {

namespace {

using text::Direction;

const std::vector<std::string> kLatin = {"Noto Sans"};
const std::vector<std::string> kNastaliq = {"Noto Nastaliq Urdu", "Noto Naskh Arabic", "Noto Sans"};
const std::vector<std::string> kNaskh = {"Noto Naskh Arabic", "Noto Sans"};

}  // namespace

const std::vector<Sample>& LanguageSamples() {
    static const std::vector<Sample> samples = {
        {"English", "en-GB", kLatin, Direction::Ltr, "Book a free appointment with a health trainer today."},
        {"Turkish", "tr", kLatin, Direction::Ltr, "Bir sağlık eğitmeniyle ücretsiz randevu alın. İyi günler, Işıl Şahin!"},
        {"Polish", "pl", kLatin, Direction::Ltr, "Umów się na bezpłatną wizytę u trenera zdrowia. Zażółć gęślą jaźń."},
        {"Romanian", "ro", kLatin, Direction::Ltr,
         "Programa\u021Bi o \u00EEnt\u00E2lnire gratuit\u0103 cu un consilier de s\u0103n\u0103tate. "
         "\u0218tiin\u021B\u0103 \u0219i \u021Aar\u0103."},
        {"Somali", "so", kLatin, Direction::Ltr, "Ballan bilaash ah la samee tababaraha caafimaadka."},
        {"Portuguese", "pt", kLatin, Direction::Ltr, "Marque uma consulta gratuita com um treinador de saúde. Ação, coração."},
        {"Lithuanian", "lt", kLatin, Direction::Ltr, "Užsiregistruokite nemokamai konsultacijai pas sveikatos trenerį. Ačiū!"},
        {"Urdu", "ur", kNastaliq, Direction::Rtl, "ہیلتھ ٹرینر کے ساتھ مفت ملاقات بک کریں۔"},
        {"Arabic", "ar", kNaskh, Direction::Rtl, "احجز موعدًا مجانيًا مع مدرب صحي."},
        {"Farsi", "fa", kNaskh, Direction::Rtl, "یک وقت رایگان با مربی سلامت رزرو کنید."},
        {"Kurdish Sorani", "ckb", kNaskh, Direction::Rtl, "کاتێکی بەخۆڕایی لەگەڵ ڕاهێنەری تەندروستی دابنێ."},
        {"Pashto", "ps", kNaskh, Direction::Rtl, "د روغتیا له روزونکي سره وړیا ملاقات وټاکئ."},
        {"Bengali", "bn", {"Noto Sans Bengali", "Noto Sans"}, Direction::Ltr,
         "স্বাস্থ্য প্রশিক্ষকের সাথে বিনামূল্যে সাক্ষাৎ বুক করুন। কি, ক্ষমা"},
        {"Punjabi (Gurmukhi)", "pa", {"Noto Sans Gurmukhi", "Noto Sans"}, Direction::Ltr,
         "ਸਿਹਤ ਟ੍ਰੇਨਰ ਨਾਲ ਮੁਫ਼ਤ ਮੁਲਾਕਾਤ ਬੁੱਕ ਕਰੋ। ਪ੍ਰੀਤ, ਕ੍ਰਿਪਾ"},
        {"Gujarati", "gu", {"Noto Sans Gujarati", "Noto Sans"}, Direction::Ltr, "આરોગ્ય ટ્રેનર સાથે મફત મુલાકાત બુક કરો. ક્ષમા, શ્રી"},
        {"Hindi", "hi", {"Noto Sans Devanagari", "Noto Sans"}, Direction::Ltr,
         "स्वास्थ्य प्रशिक्षक के साथ मुफ़्त मुलाक़ात बुक करें। क्षमा, श्री"},
        {"Nepali", "ne", {"Noto Sans Devanagari", "Noto Sans"}, Direction::Ltr,
         "स्वास्थ्य प्रशिक्षकसँग निःशुल्क भेटघाट बुक गर्नुहोस्।"},
        {"Tamil", "ta", {"Noto Sans Tamil", "Noto Sans"}, Direction::Ltr, "சுகாதாரப் பயிற்சியாளருடன் இலவச சந்திப்பை முன்பதிவு செய்யுங்கள்."},
        {"Tigrinya", "ti", {"Noto Sans Ethiopic", "Noto Sans"}, Direction::Ltr, "ምስ ኣሰልጣኒ ጥዕና ናጻ ቆጸራ ሓዙ።"},
        {"Amharic", "am", {"Noto Sans Ethiopic", "Noto Sans"}, Direction::Ltr, "ከጤና አሰልጣኝ ጋር ነፃ ቀጠሮ ይያዙ።"},
        {"Chinese (Simplified)", "zh-Hans", {"Noto Sans CJK SC", "Noto Sans"}, Direction::Ltr, "与健康教练预约免费咨询。请在前台出示编号。"},
        {"Chinese (Traditional)", "zh-Hant", {"Noto Sans CJK TC", "Noto Sans"}, Direction::Ltr, "與健康教練預約免費諮詢。請在前台出示編號。"},
    };
    return samples;
}

const std::vector<Sample>& MixedSamples() {
    static const std::vector<Sample> samples = {
        {"Urdu + Latin name, digits", "ur", kNastaliq, Direction::Rtl,
         "آپ کی ملاقات Sarah Khan کے ساتھ 10:30 بجے کمرہ 4 میں ہے۔"},
        {"English + Arabic word", "en-GB", {"Noto Sans", "Noto Naskh Arabic"}, Direction::Ltr,
         "The Arabic word for health is صحة, written right to left."},
        {"Arabic + brackets", "ar", kNaskh, Direction::Rtl, "موعدك (يوم الثلاثاء) في الغرفة [3] مع المدرب."},
        {"Farsi + brackets, digits", "fa", kNaskh, Direction::Rtl, "شماره مرجع شما «HT-2041» است (ساعت ۱۰:۳۰)."},
        // A phone number inside RTL text keeps its digit groups in order only inside an isolate
        // (U+2066 LRI ... U+2069 PDI); without one, UBA reverses the groups. Both are shown.
        {"Sorani + phone, bare", "ckb", kNaskh, Direction::Rtl, "ژمارەی تەلەفۆن: 0113 496 0000 (ڕۆژی دووشەممە)"},
        {"Sorani + phone, isolated", "ckb", kNaskh, Direction::Rtl,
         "ژمارەی تەلەفۆن: \u20660113 496 0000\u2069 (ڕۆژی دووشەممە)"},
    };
    return samples;
}

const Sample& SampleFor(const std::string& tag) {
    for (const Sample& s : LanguageSamples())
        if (s.tag == tag) return s;
    for (const Sample& s : MixedSamples())
        if (s.tag == tag) return s;
    std::fprintf(stderr, "no sample for %s\n", tag.c_str());
    std::abort();
}

text::FontSetSpec SpecOf(const Sample& s) { return text::FontSetSpec{s.families, s.tag, s.direction}; }

}  // namespace htk::test
