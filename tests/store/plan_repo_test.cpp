// Trainers, working plans, blocked days and practice settings as the manager sets them up.
#include <doctest/doctest.h>

#include "store/plan_repo.h"
#include "store/settings_repo.h"
#include "store/trainer_repo.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

TEST_CASE("a manager adds trainers with the languages they speak, in the order they give") {
    auto db = Must(store::Open(":memory:"));
    store::TrainerRepo trainers(db);
    core::Trainer t;
    t.display_name = "ਹਰਪ੍ਰੀਤ ਕੌਰ";
    t.languages = {"pa-Guru", "ur", "en-GB"};
    const auto id = Must(trainers.Add(t));
    const auto back = Must(trainers.Get(id));
    CHECK(back.display_name == "ਹਰਪ੍ਰੀਤ ਕੌਰ");
    CHECK(back.languages == std::vector<std::string>{"pa-Guru", "ur", "en-GB"});
    CHECK(back.active);
    CHECK(back.Speaks("pa"));

    Must(trainers.SetLanguages(id, {"ur"}));
    CHECK(Must(trainers.Get(id)).languages == std::vector<std::string>{"ur"});
    Must(trainers.SetActive(id, false));
    CHECK(Must(trainers.List()).size() == 1);
    CHECK(Must(trainers.List(false)).empty());
}

TEST_CASE("bad trainer input is refused and stores nothing") {
    auto db = Must(store::Open(":memory:"));
    store::TrainerRepo trainers(db);
    core::Trainer t;
    t.display_name = "";
    CHECK(trainers.Add(t).error().code == core::Errc::InvalidInput);
    t.display_name = "Hodan Warsame";
    t.languages = {"so", "somali!"};
    CHECK(trainers.Add(t).error().code == core::Errc::InvalidInput);
    t.languages = {"so", "so"};
    CHECK(trainers.Add(t).error().code == core::Errc::InvalidInput);
    CHECK(Must(trainers.List()).empty());
    CHECK(trainers.Get(1).error().code == core::Errc::NotFound);
    CHECK(trainers.SetActive(1, false).error().code == core::Errc::NotFound);
    CHECK(trainers.SetLanguages(1, {"so"}).error().code == core::Errc::NotFound);
}

TEST_CASE("a whole working plan with breaks and exceptions survives a round trip") {
    test::Practice p;
    core::WorkingPlan plan;
    plan.trainer = p.trainer;
    plan.weekly[0] = *core::ParseDayHours("09:00-12:00,13:00-17:00/15:00-15:15");
    plan.weekly[3] = *core::ParseDayHours("10:00-14:00");
    plan.exceptions.push_back({{2026, 12, 24}, std::nullopt});
    plan.exceptions.push_back({{2026, 12, 23}, *core::ParseDayHours("09:00-11:00/10:00-10:10")});
    Must(store::PlanRepo(p.db).Save(plan));
    const auto back = Must(store::PlanRepo(p.db).Load(p.trainer));
    CHECK(back.weekly[0] == plan.weekly[0]);
    CHECK(back.weekly[1].Empty());  // Save replaced the fixture's Tuesday
    CHECK(back.weekly[3] == plan.weekly[3]);
    REQUIRE(back.exceptions.size() == 2);
    CHECK(back.exceptions[0] == plan.exceptions[1]);  // by date
    CHECK(back.exceptions[1] == plan.exceptions[0]);
    CHECK(back.HoursOn({2026, 12, 24}).Empty());
}

TEST_CASE("one weekday and one exception are changed without touching the rest") {
    test::Practice p;
    store::PlanRepo plans(p.db);
    Must(plans.SetWeekday(p.trainer, 2, *core::ParseDayHours("08:00-12:00")));
    Must(plans.SetException(p.trainer, {2026, 3, 4}, core::ParseDayHours("off")));
    auto plan = Must(plans.Load(p.trainer));
    CHECK(core::FormatDayHours(plan.weekly[2]) == "08:00-12:00");
    CHECK(core::FormatDayHours(plan.weekly[1]) == "09:00-17:00/12:30-13:30");
    REQUIRE(plan.exceptions.size() == 1);
    CHECK_FALSE(plan.exceptions[0].hours);  // "off" is stored as a day off, not as empty hours

    Must(plans.SetException(p.trainer, {2026, 3, 4}, core::ParseDayHours("14:00-16:00")));
    plan = Must(plans.Load(p.trainer));
    REQUIRE(plan.exceptions.size() == 1);
    CHECK(core::FormatDayHours(*plan.exceptions[0].hours) == "14:00-16:00");
    Must(plans.ClearException(p.trainer, {2026, 3, 4}));
    CHECK(Must(plans.Load(p.trainer)).exceptions.empty());
    CHECK(plans.ClearException(p.trainer, {2026, 3, 4}).error().code == core::Errc::NotFound);
}

TEST_CASE("a plan with overlapping hours or a break outside them is refused and the old plan stays") {
    test::Practice p;
    store::PlanRepo plans(p.db);
    core::DayHours overlapping{{{540, 720}, {700, 800}}, {}};
    CHECK(plans.SetWeekday(p.trainer, 0, overlapping).error().code == core::Errc::InvalidInput);
    core::DayHours stray_break{{{540, 720}}, {{800, 810}}};
    CHECK(plans.SetException(p.trainer, {2026, 3, 4}, stray_break).error().code == core::Errc::InvalidInput);
    CHECK(plans.SetWeekday(p.trainer, 7, {}).error().code == core::Errc::InvalidInput);
    CHECK(plans.SetWeekday(999, 0, {}).error().code == core::Errc::NotFound);
    const auto plan = Must(plans.Load(p.trainer));
    CHECK(core::FormatDayHours(plan.weekly[0]) == "09:00-17:00/12:30-13:30");
    CHECK(plan.exceptions.empty());
    CHECK(plans.Load(999).error().code == core::Errc::NotFound);
}

TEST_CASE("practice-wide blocked days are listed by date and can be lifted") {
    test::Practice p;
    store::PlanRepo plans(p.db);
    Must(plans.BlockDay({{2026, 12, 25}, "Christmas Day"}));
    Must(plans.BlockDay({{2026, 5, 4}, "Early May bank holiday"}));
    Must(plans.BlockDay({{2026, 12, 25}, "Christmas"}));
    auto days = Must(plans.BlockedDays());
    REQUIRE(days.size() == 2);
    CHECK(days[0].date == core::LocalDate{2026, 5, 4});
    CHECK(days[1].reason == "Christmas");
    Must(plans.UnblockDay({2026, 5, 4}));
    CHECK(Must(plans.BlockedDays()).size() == 1);
    CHECK(plans.UnblockDay({2026, 5, 4}).error().code == core::Errc::NotFound);
    CHECK(plans.BlockDay({{2026, 2, 30}, "no such day"}).error().code == core::Errc::InvalidInput);
}

TEST_CASE("practice settings: missing until saved, then kept with their slot rules") {
    auto db = Must(store::Open(":memory:"));
    store::SettingsRepo settings(db);
    CHECK(settings.Get().error().code == core::Errc::NotFound);
    CHECK(Must(settings.Rules()).session_minutes == 60);
    CHECK(settings.SetRules({}).error().code == core::Errc::NotFound);

    store::PracticeSettings s;
    s.name = "Chapeltown Health Centre";
    s.rules.session_minutes = 45;
    s.rules.interval_minutes = 60;
    s.retention_days = 365;
    Must(settings.Save(s));
    auto back = Must(settings.Get());
    CHECK(back.name == "Chapeltown Health Centre");
    CHECK(back.time_zone == "Europe/London");
    CHECK(back.rules.session_minutes == 45);
    CHECK(back.retention_days == 365);
    CHECK_FALSE(back.public_key);

    core::SlotRules bad;
    bad.session_minutes = 90;
    CHECK(settings.SetRules(bad).error().code == core::Errc::InvalidInput);
    s.name = "";
    CHECK(settings.Save(s).error().code == core::Errc::InvalidInput);
    CHECK(Must(settings.Get()).rules.session_minutes == 45);
}
