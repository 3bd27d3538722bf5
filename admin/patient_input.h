// A patient's details as reception types them, for requests taken at the desk: "key: value" lines
// (never command-line arguments, which shell history and ps would keep), checked as the kiosk checks
// them. Errors name the line and the field, never what was typed.
#pragma once
#include <istream>

#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"

namespace htk::admin {

// The fields a desk entry reads, one a line: name, date_of_birth (YYYY-MM-DD), phone, email,
// address, note. Blank lines and lines starting with '#' are skipped; an empty value is no value.
// InvalidInput for an unknown field, a field given twice, or a line without "field:".
core::Result<core::PatientDetails> ReadPatientLines(std::istream& in);

// The kiosk's rules for what reception entered: a name (any script), a plausible date of birth,
// a UK phone number (stored as E.164) when contact is by phone, an address when by letter. Fixes
// the phone to E.164 in place. InvalidInput names the field and the problem ("too_young").
core::Result<void> CheckPatient(core::PatientDetails& details, core::ContactMethod contact, core::LocalDate today);

}  // namespace htk::admin
