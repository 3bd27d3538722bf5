// ListKiosks: one SELECT over htk.kiosks and htk.practices.
#include "admin/kiosk_contacts.h"

namespace htk::admin {

core::Result<std::vector<KioskContact>> ListKiosks(store::pg::Connection& db) {
    // The age comes from the server's own clock, so a desk whose clock is wrong still reads it right.
    auto rows = db.Query(
        "SELECT p.name, k.kiosk_id, extract(epoch FROM k.last_contact)::bigint, "
        "extract(epoch FROM now() - k.last_contact)::bigint, k.backlog, k.rejected, k.oldest_waiting "
        "FROM htk.kiosks k JOIN htk.practices p ON p.id = k.practice_id ORDER BY p.name, k.kiosk_id");
    if (!rows) return rows.error();
    std::vector<KioskContact> out;
    out.reserve(static_cast<std::size_t>(rows->Count()));
    for (int i = 0; i < rows->Count(); ++i) {
        KioskContact k;
        k.practice = rows->Text(i, 0);
        k.kiosk = rows->Text(i, 1);
        if (!rows->IsNull(i, 2)) {
            k.last_contact = rows->Int(i, 2);
            k.age_seconds = rows->Int(i, 3);
        }
        k.backlog = static_cast<int>(rows->Int(i, 4));
        k.rejected = static_cast<int>(rows->Int(i, 5));
        if (!rows->IsNull(i, 6)) k.oldest_waiting = rows->Int(i, 6);
        out.push_back(std::move(k));
    }
    return out;
}

}  // namespace htk::admin
