// Reading and checking the details of a desk entry. Every buffer that held what was typed is
// wiped before it is freed; messages carry field names and validation codes only.
#include "admin/patient_input.h"

#include <algorithm>
#include <string>

#include "core/strings.h"
#include "core/validation.h"
#include "i18n/validate.h"

namespace htk::admin {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::size_t kMaxLine = 4096;      // bytes of one line: a note fits, a pasted file does not

// std::getline, but it stops after kMaxLine + 1 bytes: a line with no end (a pipe from /dev/zero)
// is reported as too long instead of filling memory.
bool ReadLine(std::istream& in, std::string& line) {
    line.clear();
    for (char c; in.get(c);) {
        if (c == '\n') return true;
        line.push_back(c);
        if (line.size() > kMaxLine) return true;
    }
    return !line.empty();
}
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxAddress = 300;    // characters
constexpr std::size_t kMaxNote = 2000;      // characters

std::size_t Characters(std::string_view utf8) {
    std::size_t n = 0;
    for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

bool HasControl(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
    return false;
}

core::Error Bad(std::string_view field, std::string_view problem) {
    return Fail(Errc::InvalidInput, "the patient's " + std::string(field) + " is " + std::string(problem) +
                                        "; nothing was changed");
}

}  // namespace

Result<core::PatientDetails> ReadPatientLines(std::istream& in) {
    core::PatientDetails d;
    std::string dob;
    bool seen[6] = {};
    std::string line;
    auto fail = [&](core::Error e) -> Result<core::PatientDetails> {
        core::Wipe(d);
        core::Wipe(dob);
        core::Wipe(line);
        return e;
    };
    for (int number = 1; ReadLine(in, line); ++number) {
        const std::string where = "standard input line " + std::to_string(number);
        if (line.size() > kMaxLine) return fail(Fail(Errc::InvalidInput, where + " is longer than " + std::to_string(kMaxLine) + " bytes"));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            return fail(Fail(Errc::InvalidInput, where + " is not 'field: value' (fields: name, date_of_birth, phone, "
                                                         "email, address, note)"));
        const std::string key = core::Trim(std::string_view(line).substr(0, colon));
        std::string value = core::Trim(std::string_view(line).substr(colon + 1));
        static constexpr std::string_view kKeys[6] = {"name", "date_of_birth", "phone", "email", "address", "note"};
        std::string* targets[6] = {&d.name, &dob, &d.phone, &d.email, &d.address, &d.note};
        int index = -1;
        for (int i = 0; i < 6; ++i)
            if (key == kKeys[i]) index = i;
        if (index < 0) {
            core::Wipe(value);
            // Echoed only when it looks like a field name: "Faadumo Cali: ..." must not reach a log.
            const bool plain = !key.empty() && key.size() <= 20 && std::all_of(key.begin(), key.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            });
            const std::string shown = plain ? "'" + key + "'" : "before the ':'";
            return fail(Fail(Errc::InvalidInput, where + ": unknown field " + shown +
                                                     " (fields: name, date_of_birth, phone, email, address, note)"));
        }
        if (seen[index]) {
            core::Wipe(value);
            return fail(Fail(Errc::InvalidInput, where + ": " + std::string(kKeys[index]) + " is given twice"));
        }
        seen[index] = true;
        *targets[index] = std::move(value);
    }
    core::Wipe(line);
    if (in.bad()) return fail(Fail(Errc::Io, "cannot read the patient's details from standard input"));
    if (!dob.empty()) {
        d.date_of_birth = core::LocalDate::ParseIso(dob);
        if (!d.date_of_birth) return fail(Bad("date_of_birth", "not a date such as 1971-04-23"));
        core::Wipe(dob);
    }
    return d;
}

Result<void> CheckPatient(core::PatientDetails& d, core::ContactMethod contact, core::LocalDate today) {
    if (auto code = i18n::ValidateName(d.name); code != core::Invalid::None)
        return Bad("name", code == core::Invalid::Empty ? "missing (name: ...)" : core::Key(code));
    d.name = core::Trim(d.name);
    if (!d.date_of_birth) return Bad("date_of_birth", "missing (date_of_birth: YYYY-MM-DD)");
    if (auto code = core::ValidateDateOfBirth(*d.date_of_birth, today); code != core::Invalid::None)
        return Bad("date_of_birth", core::Key(code));
    if (!d.phone.empty() || contact == core::ContactMethod::Phone) {
        if (d.phone.empty()) return Bad("phone", "missing, and contact is by phone (phone: ...)");
        auto check = i18n::ValidateUkPhone(d.phone);
        if (check.code != core::Invalid::None) return Bad("phone", core::Key(check.code));
        core::Wipe(d.phone);
        d.phone = std::move(check.e164);
    }
    if (!d.email.empty()) {
        const auto at = d.email.find('@');
        if (d.email.size() > kMaxEmail || at == 0 || at == std::string::npos || at + 1 == d.email.size() ||
            d.email.find_first_of(" \t@", at + 1) != std::string::npos || HasControl(d.email))
            return Bad("email", "not an email address");
    }
    if (d.address.empty() && contact == core::ContactMethod::Letter)
        return Bad("address", "missing, and contact is by letter (address: ...)");
    if (Characters(d.address) > kMaxAddress) return Bad("address", "too_long");
    if (HasControl(d.address)) return Bad("address", "bad_characters");
    if (Characters(d.note) > kMaxNote) return Bad("note", "too_long");
    if (HasControl(d.note)) return Bad("note", "bad_characters");
    return {};
}

}  // namespace htk::admin
