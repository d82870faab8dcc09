#include "core/routing.h"

#include <span>
#include <string>

namespace presentie {
namespace {

using enum DataItem;
using enum Population;
constexpr EndpointSet kNobody{};
constexpr EndpointSet kToDuo{Endpoint::kDuo};
constexpr EndpointSet kToGemeente{Endpoint::kGemeente};
constexpr EndpointSet kToBow{Endpoint::kBow};

// R1. One row per (item, population); a test checks that every pair occurs
// exactly once. "Nobody" is a row too, so that "we send nothing" is a
// decision that can be read here rather than a gap. A row's source cites the
// note's section by its number in docs/rules.md ("The source").
constexpr RoutingRow kTable[] = {
    // Contracten en facturen: DUO needs contract data for the loans of family
    // and other migrants, and for asylum permit holders too: it passes them
    // to the Belastingdienst (kinderopvangtoeslag) and uses them to deliver
    // exam results to the school.
    {kContract, kFamilyOrOther, kToDuo, "Notitie: taalscholen en DUO, Contracten en facturen"},
    {kContract, kAsylumWi2021, kToDuo,
     "Notitie: taalscholen en DUO, Contracten en facturen (kinderopvangtoeslag, examenresultaten)"},
    // Invoices serve the loans; under Wi2021 the gemeente contracts the school
    // for its asylum permit holders, so DUO has no invoice of theirs.
    {kInvoice, kFamilyOrOther, kToDuo,
     "Notitie: taalscholen en DUO, Contracten en facturen (leningen)"},
    {kInvoice, kAsylumWi2021, kNobody,
     "Notitie: taalscholen en DUO, Contracten en facturen (gemeenten zorgen voor het "
     "cursusaanbod)"},
    // Taalschakeltrajecten, NB: DUO gets the diploma directly for family and
    // other migrants, through the gemeente for asylum permit holders.
    {kBridgingDiploma, kFamilyOrOther, kToDuo,
     "Notitie: taalscholen en DUO, Taalschakeltrajecten (NB)"},
    {kBridgingDiploma, kAsylumWi2021, kToGemeente,
     "Notitie: taalscholen en DUO, Taalschakeltrajecten (NB); taalscholen en gemeenten"},
    // Deelgenomen uren, NB: to DUO for family and other migrants, to the
    // gemeente for asylum permit holders; never to both.
    {kAttendedHours, kFamilyOrOther, kToDuo, "Notitie: taalscholen en DUO, Deelgenomen uren (NB)"},
    {kAttendedHours, kAsylumWi2021, kToGemeente,
     "Notitie: taalscholen en DUO, Deelgenomen uren (NB); taalscholen en gemeenten"},
    // Geoorloofd en ongeoorloofd verzuim: for family and other migrants the
    // school itself classifies and passes the classification to DUO; the
    // facts stay at the school. For asylum permit holders the gemeente
    // classifies and needs the facts.
    {kAbsenceFacts, kFamilyOrOther, kNobody,
     "Notitie: Geoorloofd en ongeoorloofd verzuim (the school classifies; DUO gets the "
     "classification)"},
    {kAbsenceFacts, kAsylumWi2021, kToGemeente,
     "Notitie: Geoorloofd en ongeoorloofd verzuim (de gemeente zal informatie nodig hebben van de "
     "taalschool)"},
    {kAbsenceClassification, kFamilyOrOther, kToDuo,
     "Notitie: Geoorloofd en ongeoorloofd verzuim (de taalschool dient dit door te geven aan DUO)"},
    {kAbsenceClassification, kAsylumWi2021, kNobody,
     "Notitie: Geoorloofd en ongeoorloofd verzuim (de gemeente bepaalt en geeft dit door aan DUO)"},
    // The reason is health data ("ziekte"); only the classification leaves.
    {kAbsenceReason, kFamilyOrOther, kNobody,
     "R1, health data stays at the school (docs/rules.md); Notitie: Geoorloofd en ongeoorloofd "
     "verzuim"},
    {kAbsenceReason, kAsylumWi2021, kNobody,
     "R1, health data stays at the school (docs/rules.md); Notitie: Geoorloofd en ongeoorloofd "
     "verzuim"},
    // '… en Blik op Werk': cursusplanning and kwalificaties van docenten to
    // BoW; for Wi2021 only B1-route and Z-route courses (the onderwijsroute
    // is the Inspectie's). The route condition is applied by
    // CourseRecipients and Recipients (BowSupervises below).
    {kCoursePlanning, kFamilyOrOther, kToBow,
     "Notitie: taalscholen en Blik op Werk (cursusplanning; B1- and Z-route, Wi2013)"},
    {kCoursePlanning, kAsylumWi2021, kToBow,
     "Notitie: taalscholen en Blik op Werk (cursusplanning; B1- and Z-route, Wi2013)"},
    {kTeacherQualification, kFamilyOrOther, kToBow,
     "Notitie: taalscholen en Blik op Werk (kwalificaties van docenten; B1- and Z-route, Wi2013)"},
    {kTeacherQualification, kAsylumWi2021, kToBow,
     "Notitie: taalscholen en Blik op Werk (kwalificaties van docenten; B1- and Z-route, Wi2013)"},
};

bool IsCourseItem(DataItem item) {
  return item == kCoursePlanning || item == kTeacherQualification;
}

EndpointSet Lookup(DataItem item, Population population) {
  for (const RoutingRow& row : kTable) {
    if (row.item == item && row.population == population) return row.to;
  }
  // Unreachable for a valid enum (tested); fail closed: send nothing.
  return kNobody;
}

// The note's '… en Blik op Werk', NB: the overview covers, for Wi2021, only
// the B1-route and the Z-route; under Wi2013 there are no routes and BoW
// supervises every course (docs/rules.md, inference I12).
bool BowSupervises(Regime regime, Route route) {
  return regime == Regime::kWi2013 || route == Route::kB1 || route == Route::kZ;
}

}  // namespace

std::string_view ToString(Endpoint e) {
  switch (e) {
    case Endpoint::kDuo:
      return "duo";
    case Endpoint::kGemeente:
      return "gemeente";
    case Endpoint::kBow:
      return "bow";
  }
  return "?";
}

std::string EndpointSet::ToString() const {
  std::string out;
  for (Endpoint e : {Endpoint::kDuo, Endpoint::kGemeente, Endpoint::kBow}) {
    if (!contains(e)) continue;
    if (!out.empty()) out += ',';
    out += presentie::ToString(e);
  }
  return out.empty() ? "-" : out;
}

std::string_view ToString(DataItem d) {
  switch (d) {
    case kContract:
      return "contract";
    case kInvoice:
      return "invoice";
    case kBridgingDiploma:
      return "bridging_diploma";
    case kAttendedHours:
      return "attended_hours";
    case kAbsenceFacts:
      return "absence_facts";
    case kAbsenceClassification:
      return "absence_classification";
    case kAbsenceReason:
      return "absence_reason";
    case kCoursePlanning:
      return "course_planning";
    case kTeacherQualification:
      return "teacher_qualification";
  }
  return "?";
}

Population PopulationOf(const Learner& l) {
  // The note's '… en DUO' names Wi2013 asylum permit holders with the family
  // and other migrants (the loans); the gemeente's role began with Wi2021
  // (docs/rules.md, inference I1).
  return GemeenteIsResponsible(l) ? kAsylumWi2021 : kFamilyOrOther;
}

std::span<const RoutingRow> RoutingTable() { return kTable; }

EndpointSet Recipients(DataItem item, const Learner& learner) {
  // Course data are about the course, not the learner; asked per learner,
  // the answer is that of a course on the learner's own route.
  if (IsCourseItem(item) && !BowSupervises(learner.regime, learner.route)) return kNobody;
  return Lookup(item, PopulationOf(learner));
}

EndpointSet CourseRecipients(DataItem item, const Course& course) {
  // Only course-level data can be routed by the course alone. Anything else
  // depends on the learner (Recipients); failing closed here keeps a caller's
  // mistake from sending personal data anywhere.
  if (!IsCourseItem(item)) return kNobody;
  if (!BowSupervises(course.regime, course.route)) return kNobody;
  // Both populations' rows agree for course items; either will do.
  return Lookup(item, kFamilyOrOther);
}

DataItem ItemOf(AttendanceField f) {
  switch (f) {
    case AttendanceField::kStatus:
    case AttendanceField::kMinutesPresent:
    case AttendanceField::kMode:  // decides whether minutes count (R5)
      return kAttendedHours;
    case AttendanceField::kNotifiedInAdvance:
      return kAbsenceFacts;
    case AttendanceField::kReason:
    case AttendanceField::kNote:  // free text about the reason
      return kAbsenceReason;
    case AttendanceField::kClassification:
      return kAbsenceClassification;
  }
  // An unknown field is treated as the most sensitive kind.
  return kAbsenceReason;
}

EndpointSet Recipients(AttendanceField f, const Learner& learner) {
  return Recipients(ItemOf(f), learner);
}

}  // namespace presentie
