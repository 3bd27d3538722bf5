// Reports on the shared PostgreSQL database (issue 9): the figures ReportRepo::Figures gives on one
// practice's file, counted by the same rules (store::FiguresBuilder) from the server's requests and
// bookings. Row-level security decides what a login counts: a desk's login its own practice, a
// manager's every practice, which gives the service-wide report. No patient detail is read.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/pg/connection.h"
#include "store/report_repo.h"

namespace htk::store::pg {

struct PracticeFigures {
    std::string practice;  // its name ("" for the sum of them all)
    ReportFigures figures;
};

// Local dates [from, to) in `zone`, read in one REPEATABLE READ READ ONLY transaction (one snapshot,
// so the figures agree with each other). InvalidInput for a bad range, as ReportRepo::Figures.
// Every practice this login can see, by name (two alike stay apart), each with its figures, then ""
// with their sum.
core::Result<std::vector<PracticeFigures>> FiguresByPractice(Connection& server, core::LocalDate from, core::LocalDate to,
                                                             const core::TimeZone& zone);
// The sum alone: for a desk's login, its practice's figures.
core::Result<ReportFigures> Figures(Connection& server, core::LocalDate from, core::LocalDate to, const core::TimeZone& zone);

}  // namespace htk::store::pg
