// "Please speak to reception": where the patient goes when the kiosk is not the way for them.
// Never touches storage.
#pragma once
#include "ui/ctx.h"

namespace htk::ui {

struct ReceptionView {
    bool operator==(const ReceptionView&) const = default;  // shows catalog text only, for now
};

struct ReceptionIntent {
    enum Kind { None, Back, StartAgain } kind = None;
};

ReceptionIntent DrawReception(ReceptionView& view, const Ctx& ctx);

}  // namespace htk::ui
