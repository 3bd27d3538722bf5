// Home: what the patient came for. Refer, book, or talk to reception. Never touches storage.
#pragma once
#include "ui/ctx.h"

namespace htk::ui {

struct HomeView {
    bool offer_language = false;  // more than one pack installed: show the Language button
    bool operator==(const HomeView&) const = default;
};

struct HomeIntent {
    enum Kind { None, Refer, Book, Reception, Language, StartAgain } kind = None;
};

HomeIntent DrawHome(HomeView& view, const Ctx& ctx);

}  // namespace htk::ui
