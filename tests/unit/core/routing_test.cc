// R1 (docs/rules.md): who receives what, per population and data item. The
// quotes are the note's, from the section each names.
#include "core/routing.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "fixtures.h"

namespace presentie {
namespace routing_test {

using namespace presentie::testing;  // NOLINT: test fixtures

const EndpointSet kNobody{};
const EndpointSet kDuo{Endpoint::kDuo};
const EndpointSet kGemeente{Endpoint::kGemeente};
const EndpointSet kBow{Endpoint::kBow};

constexpr DataItem kAllItems[] = {
    DataItem::kContract,      DataItem::kInvoice,        DataItem::kBridgingDiploma,
    DataItem::kAttendedHours, DataItem::kAbsenceFacts,   DataItem::kAbsenceClassification,
    DataItem::kAbsenceReason, DataItem::kCoursePlanning, DataItem::kTeacherQualification};

TEST(RoutingTableTest, EveryItemAndPopulationHasExactlyOneRowWithASource) {
  std::set<std::pair<DataItem, Population>> seen;
  for (const RoutingRow& row : RoutingTable()) {
    EXPECT_TRUE(seen.insert({row.item, row.population}).second)
        << "duplicate row for " << ToString(row.item);
    EXPECT_TRUE(row.source.find("Notitie: ") != std::string_view::npos ||
                row.source.find("docs/rules.md") != std::string_view::npos)
        << ToString(row.item) << ": '" << row.source << "'";
  }
  for (DataItem item : kAllItems) {
    for (Population p : {Population::kFamilyOrOther, Population::kAsylumWi2021}) {
      EXPECT_TRUE(seen.count({item, p})) << "no row for " << ToString(item);
    }
  }
  EXPECT_EQ(seen.size(), std::size(kAllItems) * 2);
}

TEST(RoutingTest, PopulationOf) {
  EXPECT_EQ(PopulationOf(FamilyB1()), Population::kFamilyOrOther);
  EXPECT_EQ(PopulationOf(OtherB1()), Population::kFamilyOrOther);
  EXPECT_EQ(PopulationOf(AsylumB1()), Population::kAsylumWi2021);
  // The note's '… en DUO': "(en asielstatushouders die onder de Wi2013 vallen)"
  EXPECT_EQ(PopulationOf(AsylumWi2013()), Population::kFamilyOrOther);
  EXPECT_EQ(PopulationOf(FamilyWi2013()), Population::kFamilyOrOther);
}

// The note's '… en DUO', 'Contracten en facturen': "De gegevens met betrekking
// tot contracten en facturen heeft DUO onder andere nodig in verband met ...
// leningen aan gezins- en overige migranten"; and for asylum permit holders
// "heeft DUO bepaalde gegevens uit dit contract wel nodig"
// (kinderopvangtoeslag).
TEST(RoutingTest, ContractsGoToDuoForEveryone) {
  for (const Learner& l : {FamilyB1(), OtherB1(), AsylumB1(), AsylumWi2013()}) {
    EXPECT_EQ(Recipients(DataItem::kContract, l), kDuo) << ToString(l.category);
  }
}

// The note's '… en DUO': "gemeenten ... zorgen voor het cursusaanbod van
// asielstatushouders en asielstatushouders dus niet rechtstreeks een contract
// met de taalschool afsluiten" — no loan, so no invoice to DUO; Wi2013 asylum
// holders do borrow.
TEST(RoutingTest, InvoicesGoToDuoExceptForWi2021AsylumPermitHolders) {
  EXPECT_EQ(Recipients(DataItem::kInvoice, FamilyB1()), kDuo);
  EXPECT_EQ(Recipients(DataItem::kInvoice, OtherB1()), kDuo);
  EXPECT_EQ(Recipients(DataItem::kInvoice, AsylumB1()), kNobody);
  EXPECT_EQ(Recipients(DataItem::kInvoice, AsylumWi2013()), kDuo);
}

// The note's '… en DUO', 'Taalschakeltrajecten': "In het geval van gezins- en
// overige migranten verkrijgt DUO deze gegevens rechtstreeks van de taalschool,
// in het geval van asielstatushouders verkrijgt DUO deze gegevens van de
// gemeente".
TEST(RoutingTest, BridgingDiplomaToDuoOrThroughTheGemeente) {
  EXPECT_EQ(Recipients(DataItem::kBridgingDiploma, FamilyB1()), kDuo);
  EXPECT_EQ(Recipients(DataItem::kBridgingDiploma, AsylumB1()), kGemeente);
  EXPECT_EQ(Recipients(DataItem::kBridgingDiploma, AsylumWi2013()), kDuo);
}

// The note's '… en DUO', 'Deelgenomen uren': "gegevens met betrekking tot
// deelgenomen uren aan DUO aanleveren als het gaat om gezins- en overige
// migranten. Als het gaat om asielstatushouders, dienen cursusinstellingen deze
// gegevens bij gemeenten aan te leveren" — never both ("twee keer moeten
// verstrekken").
TEST(RoutingTest, AttendedHoursToDuoOrGemeenteNeverBoth) {
  EXPECT_EQ(Recipients(DataItem::kAttendedHours, FamilyB1()), kDuo);
  EXPECT_EQ(Recipients(DataItem::kAttendedHours, OtherB1()), kDuo);
  EXPECT_EQ(Recipients(DataItem::kAttendedHours, AsylumB1()), kGemeente);
  EXPECT_EQ(Recipients(DataItem::kAttendedHours, AsylumWi2013()), kDuo);
}

// The note's 'Geoorloofd en ongeoorloofd verzuim': family/other — "De
// taalschool dient dit dan ook door te geven aan DUO"; asylum — "De gemeente
// zal voor deze beoordeling informatie nodig hebben van de taalschool" and "De
// gemeente geeft dit vervolgens door aan DUO".
TEST(RoutingTest, AbsenceFactsAndClassificationBySeedParagraph5) {
  EXPECT_EQ(Recipients(DataItem::kAbsenceClassification, FamilyB1()), kDuo);
  EXPECT_EQ(Recipients(DataItem::kAbsenceFacts, FamilyB1()), kNobody);
  EXPECT_EQ(Recipients(DataItem::kAbsenceClassification, AsylumB1()), kNobody);
  EXPECT_EQ(Recipients(DataItem::kAbsenceFacts, AsylumB1()), kGemeente);
  EXPECT_EQ(Recipients(DataItem::kAbsenceClassification, AsylumWi2013()), kDuo);
  EXPECT_EQ(Recipients(DataItem::kAbsenceFacts, AsylumWi2013()), kNobody);
}

// R1 (docs/rules.md): an absence's reason never leaves the school (illness is
// health data); the note's 'Geoorloofd en ongeoorloofd verzuim' names "ziekte"
// among the reasons.
TEST(RoutingTest, AbsenceReasonNeverLeavesTheSchool) {
  for (const Learner& l : {FamilyB1(), OtherB1(), AsylumB1(), AsylumWi2013(), FamilyWi2013()}) {
    EXPECT_EQ(Recipients(DataItem::kAbsenceReason, l), kNobody);
    EXPECT_EQ(Recipients(AttendanceField::kReason, l), kNobody);
    EXPECT_EQ(Recipients(AttendanceField::kNote, l), kNobody);
  }
}

TEST(RoutingTest, AttendanceFieldsMapToTheirItems) {
  EXPECT_EQ(ItemOf(AttendanceField::kStatus), DataItem::kAttendedHours);
  EXPECT_EQ(ItemOf(AttendanceField::kMinutesPresent), DataItem::kAttendedHours);
  EXPECT_EQ(ItemOf(AttendanceField::kMode), DataItem::kAttendedHours);
  EXPECT_EQ(ItemOf(AttendanceField::kNotifiedInAdvance), DataItem::kAbsenceFacts);
  EXPECT_EQ(ItemOf(AttendanceField::kReason), DataItem::kAbsenceReason);
  EXPECT_EQ(ItemOf(AttendanceField::kNote), DataItem::kAbsenceReason);
  EXPECT_EQ(ItemOf(AttendanceField::kClassification), DataItem::kAbsenceClassification);
}

// The same sentences of the note's '… en DUO' and 'Geoorloofd en ongeoorloofd
// verzuim', field by field.
TEST(RoutingTest, AttendanceFieldsPerPopulation) {
  const Learner family = FamilyB1();
  EXPECT_EQ(Recipients(AttendanceField::kMinutesPresent, family), kDuo);
  EXPECT_EQ(Recipients(AttendanceField::kNotifiedInAdvance, family), kNobody);
  EXPECT_EQ(Recipients(AttendanceField::kClassification, family), kDuo);

  const Learner asylum = AsylumB1();
  EXPECT_EQ(Recipients(AttendanceField::kStatus, asylum), kGemeente);
  EXPECT_EQ(Recipients(AttendanceField::kMode, asylum), kGemeente);
  EXPECT_EQ(Recipients(AttendanceField::kNotifiedInAdvance, asylum), kGemeente);
  // The gemeente classifies and informs DUO; the school sends no classification.
  EXPECT_EQ(Recipients(AttendanceField::kClassification, asylum), kNobody);
}

Course MakeCourse(Regime regime, Route route) {
  Course c;
  c.id = "NT2A";
  c.name = "NT2 A";
  c.regime = regime;
  c.route = route;
  return c;
}

// The note's '… en Blik op Werk': "Het aanleveren van de cursusplanning is hier
// een voorbeeld van ... vraagt Blik op Werk om kwalificaties van docenten." NB:
// "het overzicht heeft voor zover het de Wi2021 betreft enkel betrekking op de
// B1-route en de Z-route omdat het toezicht op taalschakeltrajecten
// (onderwijsroute) wordt uitgevoerd door de Inspectie van het Onderwijs".
TEST(RoutingTest, CoursePlanningAndQualificationsToBowExceptOnderwijsroute) {
  for (DataItem item : {DataItem::kCoursePlanning, DataItem::kTeacherQualification}) {
    EXPECT_EQ(CourseRecipients(item, MakeCourse(Regime::kWi2021, Route::kB1)), kBow);
    EXPECT_EQ(CourseRecipients(item, MakeCourse(Regime::kWi2021, Route::kZ)), kBow);
    EXPECT_EQ(CourseRecipients(item, MakeCourse(Regime::kWi2021, Route::kEducation)), kNobody);
    EXPECT_EQ(CourseRecipients(item, MakeCourse(Regime::kWi2013, Route::kNone)), kBow);
    // Asked per learner: the answer for a course on the learner's route.
    EXPECT_EQ(Recipients(item, FamilyB1()), kBow);
    EXPECT_EQ(Recipients(item, AsylumB1()), kBow);
    EXPECT_EQ(Recipients(item, AsylumWi2013()), kBow);
    EXPECT_EQ(Recipients(item, MakeLearner(Category::kAsylumPermitHolder, Regime::kWi2021,
                                           Route::kEducation)),
              kNobody);
  }
}

// A course alone cannot say whose data it is: learner-level items asked per
// course go nowhere rather than to a guessed endpoint.
TEST(RoutingTest, CourseRecipientsOfLearnerDataIsNobody) {
  for (DataItem item : {DataItem::kContract, DataItem::kAttendedHours, DataItem::kAbsenceReason}) {
    EXPECT_EQ(CourseRecipients(item, MakeCourse(Regime::kWi2021, Route::kB1)), kNobody);
  }
}

TEST(EndpointSetTest, ContainsAndToString) {
  const EndpointSet both{Endpoint::kDuo, Endpoint::kGemeente};
  EXPECT_TRUE(both.contains(Endpoint::kDuo));
  EXPECT_TRUE(both.contains(Endpoint::kGemeente));
  EXPECT_FALSE(both.contains(Endpoint::kBow));
  EXPECT_EQ(both.ToString(), "duo,gemeente");
  EXPECT_EQ(EndpointSet{Endpoint::kBow}.ToString(), "bow");
  EXPECT_EQ(EndpointSet{}.ToString(), "-");
  EXPECT_TRUE(EndpointSet{}.empty());
  EXPECT_FALSE(both == kDuo);
}

TEST(RoutingTest, NamesAreDistinct) {
  std::set<std::string_view> names;
  for (DataItem item : kAllItems) EXPECT_TRUE(names.insert(ToString(item)).second);
  EXPECT_EQ(ToString(DataItem::kAttendedHours), "attended_hours");
  EXPECT_EQ(ToString(Endpoint::kGemeente), "gemeente");
}

}  // namespace routing_test
}  // namespace presentie
