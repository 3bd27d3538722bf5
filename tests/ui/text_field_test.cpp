// The text field and the harness's Type(): what a patient types lands in the field's View.
#include <doctest/doctest.h>

#include <algorithm>

#include "i18n/catalog.h"
#include "tests/support/kiosk.h"
#include "ui/text.h"
#include "ui/widgets.h"

using htk::test::Kiosk;

TEST_CASE("Type focuses a field by its key and types into it and Backspace removes one letter") {
    Kiosk k("en-GB");
    htk::ui::TextFieldView name;
    htk::ui::TextFieldView phone;
    k.DrawInstead([&](const htk::ui::Ctx& ctx) {
        htk::ui::TextField(ctx, "contact.name", name, htk::ui::Rect::FromSize({100, 100}, {800, 100}));
        htk::ui::TextField(ctx, "contact.phone", phone, htk::ui::Rect::FromSize({100, 300}, {800, 100}));
    });
    CHECK_FALSE(name.focused);
    k.Type("contact.name", "Ayşe Yılmaz");
    CHECK(name.focused);
    CHECK(name.text == "Ayşe Yılmaz");
    CHECK(phone.text.empty());

    k.PressKey(ImGuiKey_Backspace);
    CHECK(name.text == "Ayşe Yılma");
    for (int i = 0; i < 6; ++i) k.PressKey(ImGuiKey_Backspace);
    CHECK(name.text == "Ayşe");
    k.PressKey(ImGuiKey_Backspace);
    CHECK(name.text == "Ayş");
    k.PressKey(ImGuiKey_Backspace);
    CHECK(name.text == "Ay");  // a two-byte letter goes in one press
}

TEST_CASE("an Urdu name typed in an Urdu session is kept and drawn with the pack's fonts") {
    htk::test::KioskOptions options;
    options.locales = htk::i18n::DefaultLocalesDir();
    options.languages = {"en-GB", "ur"};
    options.lang = "ur";
    Kiosk k(options);
    htk::ui::TextFieldView name;
    k.DrawInstead([&](const htk::ui::Ctx& ctx) {
        htk::ui::TextField(ctx, "contact.name", name, htk::ui::Rect::FromSize({100, 100}, {800, 100}));
    });
    k.Type("contact.name", "\u0639\u0627\u0626\u0634\u06C1 Khan");
    CHECK(name.text == "\u0639\u0627\u0626\u0634\u06C1 Khan");
    const auto& texts = k.Texts();
    const auto drawn = std::find_if(texts.begin(), texts.end(), [&](const htk::ui::DrawnText& t) { return t.text == name.text; });
    REQUIRE(drawn != texts.end());
    CHECK(k.Engine().Uncovered(drawn->font_set, drawn->text).empty());
}

TEST_CASE("a field stops taking text at its limit") {
    Kiosk k("en-GB");
    htk::ui::TextFieldView field;
    k.DrawInstead([&](const htk::ui::Ctx& ctx) {
        htk::ui::TextField(ctx, "contact.note", field, htk::ui::Rect::FromSize({100, 100}, {1000, 100}));
    });
    k.Type("contact.note", std::string(htk::ui::kMaxFieldBytes + 50, 'a'));
    CHECK(field.text.size() <= htk::ui::kMaxFieldBytes);
    CHECK(field.text.size() >= htk::ui::kMaxFieldBytes - 4);
}

TEST_CASE("MeasureText wraps at spaces and never drops words") {
    Kiosk k("en-GB");
    float one_line = 0;
    float wrapped = 0;
    float width_wrapped = 0;
    k.DrawInstead([&](const htk::ui::Ctx& ctx) {
        one_line = htk::ui::MeasureText(ctx, "How can we help you today?", htk::ui::TextSize::Body).y;
        const auto size = htk::ui::MeasureText(ctx, "How can we help you today?", htk::ui::TextSize::Body, 200.0f);
        wrapped = size.y;
        width_wrapped = size.x;
    });
    CHECK(one_line >= htk::ui::theme::kFaces[0].pixels);
    CHECK(wrapped >= 2.0f * one_line);
    CHECK(width_wrapped <= 200.0f);
}
