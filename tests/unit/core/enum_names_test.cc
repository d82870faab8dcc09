// The permanent names of the enums (core/enum_names.h): every value's name
// pinned, parsed back and distinct from the others' names; the other
// spellings parsing accepts; the messages it gives for the rest.
#include "core/enum_names.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/authorities/duo.h"
#include "core/domain.h"

namespace presentie {
namespace enum_names_test {

using exports::DuoCourseType;
using exports::DuoExam;
using exports::DutyStatus;
using exports::ParseDuoCourseType;
using exports::ParseDuoExam;
using exports::ParseDutyStatus;

template <typename E>
using Parser = Result<E> (*)(std::string_view);

// `names` holds every value of E, in the enum's order, with the name it has
// on disk. Written out here rather than read from the tables, so that a
// table entry with a wrong name, two values with one name, or a value the
// test does not know about fails.
template <typename E>
void ExpectNames(const std::vector<std::pair<E, std::string_view>>& names, Parser<E> parse,
                 std::string_view unnamed) {
  std::set<std::string_view> seen;
  for (const auto& [value, name] : names) {
    SCOPED_TRACE("value " + std::to_string(static_cast<int>(value)));
    EXPECT_EQ(ToString(value), name);
    const Result<E> parsed = parse(ToString(value));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, value) << "'" << ToString(value) << "' parses to another value";
    EXPECT_TRUE(seen.insert(ToString(value)).second)
        << "two values are named '" << ToString(value) << "'";
  }
  // The value after the last has no name: a value added to the enum and to
  // its table must be added (and its name pinned) here too.
  EXPECT_EQ(ToString(static_cast<E>(names.size())), unnamed);
}

TEST(EnumNamesTest, EveryValueHasItsPermanentName) {
  ExpectNames<Category>({{Category::kFamilyMigrant, "family_migrant"},
                         {Category::kOtherMigrant, "other_migrant"},
                         {Category::kAsylumPermitHolder, "asylum_permit_holder"}},
                        ParseCategory, "?");
  ExpectNames<Regime>({{Regime::kWi2013, "wi2013"}, {Regime::kWi2021, "wi2021"}}, ParseRegime, "?");
  ExpectNames<Route>(
      {{Route::kNone, ""}, {Route::kB1, "B"}, {Route::kEducation, "O"}, {Route::kZ, "Z"}},
      ParseRoute, "?");
  ExpectNames<Level>({{Level::kNone, ""}, {Level::kA2, "A2"}, {Level::kB1, "B1"}}, ParseLevel, "?");
  ExpectNames<Literacy>({{Literacy::kNvt, "NVT"}, {Literacy::kA, "A"}, {Literacy::kAA, "AA"}},
                        ParseLiteracy, "?");
  ExpectNames<Component>(
      {{Component::kNt2, "nt2"}, {Component::kKnm, "knm"}, {Component::kLiteracy, "literacy"}},
      ParseComponent, "?");
  ExpectNames<AttendanceStatus>({{AttendanceStatus::kPresent, "present"},
                                 {AttendanceStatus::kAbsent, "absent"},
                                 {AttendanceStatus::kPartial, "partial"}},
                                ParseAttendanceStatus, "?");
  ExpectNames<Mode>({{Mode::kOnSite, "on_site"}, {Mode::kRemote, "remote"}}, ParseMode, "?");
  ExpectNames<AbsenceReason>({{AbsenceReason::kNone, "none"},
                              {AbsenceReason::kIllness, "illness"},
                              {AbsenceReason::kWedding, "wedding"},
                              {AbsenceReason::kFuneral, "funeral"},
                              {AbsenceReason::kReligiousHoliday, "religious_holiday"},
                              {AbsenceReason::kOther, "other"},
                              {AbsenceReason::kDoubtful, "doubtful"}},
                             ParseAbsenceReason, "?");
  ExpectNames<Classification>({{Classification::kNotApplicable, "n/a"},
                               {Classification::kExcused, "excused"},
                               {Classification::kUnexcused, "unexcused"},
                               {Classification::kPending, "pending"}},
                              ParseClassification, "?");
  ExpectNames<Role>({{Role::kTeacher, "teacher"},
                     {Role::kAdmin, "admin"},
                     {Role::kHub, "hub"},
                     {Role::kDuo, "duo"},
                     {Role::kGemeente, "gemeente"},
                     {Role::kBow, "bow"}},
                    ParseRole, "?");
  // An out-of-range course type has always read as the default type.
  ExpectNames<DuoCourseType>({{DuoCourseType::kLiteracy, "alfabetiseringscursus"},
                              {DuoCourseType::kIntegration, "inburgeringscursus"},
                              {DuoCourseType::kNt2, "NT2-cursus"}},
                             ParseDuoCourseType, "inburgeringscursus");
  ExpectNames<DuoExam>({{DuoExam::kLezen, "lezen"},
                        {DuoExam::kLuisteren, "luisteren"},
                        {DuoExam::kSchrijven, "schrijven"},
                        {DuoExam::kSpreken, "spreken"},
                        {DuoExam::kKnm, "knm"},
                        {DuoExam::kOna, "ona"},
                        {DuoExam::kStaatsexamen, "staatsexamen_nt2"}},
                       ParseDuoExam, "");
  ExpectNames<DutyStatus>({{DutyStatus::kRunning, "running"},
                           {DutyStatus::kExtended, "extended"},
                           {DutyStatus::kFulfilled, "fulfilled"},
                           {DutyStatus::kExempted, "exempted"}},
                          ParseDutyStatus, "?");
}

template <typename E>
void ExpectParses(Parser<E> parse, const std::vector<std::pair<std::string_view, E>>& inputs) {
  for (const auto& [text, value] : inputs) {
    const Result<E> parsed = parse(text);
    ASSERT_TRUE(parsed.ok()) << "'" << text << "': " << parsed.status().ToString();
    EXPECT_EQ(*parsed, value) << "'" << text << "'";
  }
}

// People type these (flags, CSV files): every alias, and the canonical
// names in any case, with '-' or ' ' for '_' and surrounding blanks.
TEST(EnumNamesTest, ParsingAcceptsTheAliasesAndOtherSpellings) {
  ExpectParses<Category>(ParseCategory, {{"gezinsmigrant", Category::kFamilyMigrant},
                                         {"overige_migrant", Category::kOtherMigrant},
                                         {"Overige migrant", Category::kOtherMigrant},
                                         {"asielstatushouder", Category::kAsylumPermitHolder},
                                         {" Family-Migrant\t", Category::kFamilyMigrant}});
  ExpectParses<Regime>(ParseRegime, {{"WI2013", Regime::kWi2013}, {" wi2021 ", Regime::kWi2021}});
  ExpectParses<Route>(ParseRoute, {{"-", Route::kNone},
                                   {"none", Route::kNone},
                                   {"  ", Route::kNone},
                                   {"b", Route::kB1},
                                   {"b1", Route::kB1},
                                   {"B1", Route::kB1},
                                   {"o", Route::kEducation},
                                   {"z", Route::kZ}});
  ExpectParses<Level>(
      ParseLevel,
      {{"-", Level::kNone}, {"NONE", Level::kNone}, {"a2", Level::kA2}, {"b1", Level::kB1}});
  ExpectParses<Literacy>(ParseLiteracy,
                         {{"nvt", Literacy::kNvt}, {"a", Literacy::kA}, {"Aa", Literacy::kAA}});
  ExpectParses<Component>(ParseComponent, {{"alfabetisering", Component::kLiteracy},
                                           {"NT2", Component::kNt2},
                                           {"KNM", Component::kKnm}});
  ExpectParses<AttendanceStatus>(ParseAttendanceStatus,
                                 {{"aanwezig", AttendanceStatus::kPresent},
                                  {"afwezig", AttendanceStatus::kAbsent},
                                  {"gedeeltelijk", AttendanceStatus::kPartial},
                                  {"Present", AttendanceStatus::kPresent}});
  ExpectParses<Mode>(ParseMode, {{"onsite", Mode::kOnSite},
                                 {"on-site", Mode::kOnSite},
                                 {"On Site", Mode::kOnSite},
                                 {"op locatie", Mode::kOnSite},
                                 {"op-afstand", Mode::kRemote}});
  ExpectParses<AbsenceReason>(ParseAbsenceReason,
                              {{"", AbsenceReason::kNone},
                               {"ziek", AbsenceReason::kIllness},
                               {"ziekte", AbsenceReason::kIllness},
                               {"huwelijk", AbsenceReason::kWedding},
                               {"begrafenis", AbsenceReason::kFuneral},
                               {"religieuze feestdag", AbsenceReason::kReligiousHoliday},
                               {"feestdag", AbsenceReason::kReligiousHoliday},
                               {"anders", AbsenceReason::kOther},
                               {"overig", AbsenceReason::kOther},
                               {"twijfel", AbsenceReason::kDoubtful},
                               {"Religious-Holiday", AbsenceReason::kReligiousHoliday}});
  ExpectParses<Classification>(ParseClassification, {{"geoorloofd", Classification::kExcused},
                                                     {"ongeoorloofd", Classification::kUnexcused},
                                                     {"N/A", Classification::kNotApplicable}});
  ExpectParses<Role>(ParseRole, {{"Teacher", Role::kTeacher}, {" GEMEENTE ", Role::kGemeente}});
}

// The messages name what is accepted, byte for byte as before the tables:
// scripts and the documentation quote them.
TEST(EnumNamesTest, ParsingRefusesTheRestWithItsMessage) {
  auto message = [](const auto& result) {
    EXPECT_FALSE(result.ok());
    return result.ok() ? std::string("(parsed)") : result.status().message();
  };
  EXPECT_EQ(message(ParseCategory("refugee")),
            "unknown category 'refugee' (expected family_migrant, other_migrant or "
            "asylum_permit_holder)");
  EXPECT_EQ(message(ParseRegime("wi2022")), "unknown regime 'wi2022' (expected wi2013 or wi2021)");
  EXPECT_EQ(message(ParseRoute("X")), "unknown route 'X' (expected B, O, Z, or '-' for none)");
  EXPECT_EQ(message(ParseLevel("C1")), "unknown level 'C1' (expected A2, B1, or '-' for none)");
  EXPECT_EQ(message(ParseLiteracy("B")), "unknown literacy indicator 'B' (expected NVT, A or AA)");
  EXPECT_EQ(message(ParseComponent("math")),
            "unknown component 'math' (expected nt2, knm or literacy)");
  EXPECT_EQ(message(ParseAttendanceStatus("late")),
            "unknown attendance status 'late' (expected present, absent or partial)");
  EXPECT_EQ(message(ParseMode("hybrid")), "unknown mode 'hybrid' (expected on_site or remote)");
  EXPECT_EQ(message(ParseAbsenceReason("vakantie")),
            "unknown absence reason 'vakantie' (expected illness, wedding, funeral, "
            "religious_holiday, other, doubtful or none)");
  EXPECT_EQ(message(ParseClassification("maybe")),
            "unknown classification 'maybe' (expected excused, unexcused, pending or n/a)");
  EXPECT_EQ(message(ParseRole("root")),
            "unknown role 'root' (expected teacher, admin, hub, duo, gemeente or bow)");
  // DUO's names are parsed exactly: no other case, no '_' for '-'.
  EXPECT_EQ(message(ParseDuoCourseType("nt2-cursus")),
            "'nt2-cursus' is not a DUO course type (alfabetiseringscursus, inburgeringscursus, "
            "NT2-cursus)");
  EXPECT_EQ(message(ParseDuoExam("Lezen")),
            "'Lezen' is not an exam: lezen, luisteren, schrijven, spreken, knm, ona or "
            "staatsexamen_nt2");
  EXPECT_EQ(message(ParseDutyStatus("running ")),
            "'running ' is not a duty status: running, extended, fulfilled or exempted");
}

// --- The helpers themselves, on a table of their own.

enum class Fruit { kApple, kPear, kPlum };
constexpr EnumName<Fruit> kFruitNames[] = {
    {Fruit::kApple, "apple"},
    {Fruit::kPear, "pear"},
    {Fruit::kPlum, "plum"},
};
static_assert(IsEnumTable(kFruitNames));
constexpr EnumName<Fruit> kOutOfOrder[] = {{Fruit::kPear, "pear"}, {Fruit::kApple, "apple"}};
static_assert(!IsEnumTable(kOutOfOrder));
constexpr EnumName<Fruit> kValueSkipped[] = {{Fruit::kApple, "apple"}, {Fruit::kPlum, "plum"}};
static_assert(!IsEnumTable(kValueSkipped));
constexpr EnumName<Fruit> kNameTwice[] = {{Fruit::kApple, "apple"}, {Fruit::kPear, "apple"}};
static_assert(!IsEnumTable(kNameTwice));
static_assert(NameOf(kFruitNames, Fruit::kPlum, "?") == "plum");

TEST(EnumNamesTest, HelpersLookUpBothWaysAndListTheNames) {
  EXPECT_EQ(NameOf(kFruitNames, Fruit::kPear, "?"), "pear");
  EXPECT_EQ(NameOf(kFruitNames, static_cast<Fruit>(3), "?"), "?");
  EXPECT_EQ(ValueOf<Fruit>(kFruitNames, "plum"), Fruit::kPlum);
  EXPECT_EQ(ValueOf<Fruit>(kFruitNames, "Plum"), std::nullopt);
  auto ignoring_case = [](std::string_view text, std::string_view name) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return std::ranges::equal(text, name, {}, lower, lower);
  };
  EXPECT_EQ(ValueOf<Fruit>(kFruitNames, "PLUM", ignoring_case), Fruit::kPlum);
  EXPECT_EQ(NameList<Fruit>(kFruitNames), "apple, pear or plum");
  EXPECT_EQ(NameList<Fruit>(kFruitNames, ", "), "apple, pear, plum");
  EXPECT_EQ(NameList<Fruit>(std::span(kFruitNames).first(2)), "apple or pear");
  EXPECT_EQ(NameList<Fruit>(std::span(kFruitNames).first(1)), "apple");
}

}  // namespace enum_names_test
}  // namespace presentie
