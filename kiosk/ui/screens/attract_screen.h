// The attract screen: the practice's name and "Touch to start"; a tap anywhere starts a session.
// Never touches storage.
#pragma once
#include <string>

#include "ui/ctx.h"

namespace htk::ui {

struct AttractView {
    std::string practice_name;  // from the kiosk's config
    bool operator==(const AttractView&) const = default;
};

struct AttractIntent {
    enum Kind { None, Start } kind = None;
};

AttractIntent DrawAttract(AttractView& view, const Ctx& ctx);

}  // namespace htk::ui
