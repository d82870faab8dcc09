// R1 (docs/rules.md): which authority receives which data about which learner.
// One table, in code, drives every outbound sync and every export.
#ifndef PRESENTIE_CORE_ROUTING_H_
#define PRESENTIE_CORE_ROUTING_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "core/domain.h"

namespace presentie {

enum class Endpoint : uint8_t { kDuo = 1, kGemeente = 2, kBow = 4 };
std::string_view ToString(Endpoint e);  // "duo", "gemeente", "bow"

// A set of endpoints as a bit mask of Endpoint values.
class EndpointSet {
 public:
  constexpr EndpointSet() = default;
  constexpr EndpointSet(std::initializer_list<Endpoint> es) {
    for (Endpoint e : es) bits_ |= static_cast<uint8_t>(e);
  }
  constexpr bool contains(Endpoint e) const { return bits_ & static_cast<uint8_t>(e); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool operator==(const EndpointSet&) const = default;
  std::string ToString() const;  // "duo,gemeente" or "-"
 private:
  uint8_t bits_ = 0;
};

// The kinds of data the note's overview routes.
enum class DataItem {
  kContract,               // contractgegevens
  kInvoice,                // facturen
  kBridgingDiploma,        // taalschakeldiploma ("has one")
  kAttendedHours,          // deelgenomen uren
  kAbsenceFacts,           // absent / notified in advance (no reason)
  kAbsenceClassification,  // geoorloofd / ongeoorloofd
  kAbsenceReason,          // the reason itself: health data, never leaves
  kCoursePlanning,         // cursusplanning
  kTeacherQualification,   // kwalificaties docenten
};
std::string_view ToString(DataItem d);

// Which learners a row applies to.
enum class Population {
  kFamilyOrOther,  // family/other migrants, and everyone under Wi2013
  kAsylumWi2021,   // asylum permit holders under Wi2021
};
// Wi2013 routes everyone like a family/other migrant (an inference, see
// docs/rules.md): the gemeente's course role began with Wi2021.
Population PopulationOf(const Learner& l);

struct RoutingRow {
  DataItem item;
  Population population;
  EndpointSet to;
  std::string_view source;  // the note's section, by its number in docs/rules.md
};

// The table itself, as data (R1's tables in docs/rules.md).
std::span<const RoutingRow> RoutingTable();

// Which endpoints receive `item` about `learner`. For kCoursePlanning and
// kTeacherQualification, pass the course: BoW receives them for B1-route and
// Z-route courses and for Wi2013 courses, not for the onderwijsroute.
EndpointSet Recipients(DataItem item, const Learner& learner);
EndpointSet CourseRecipients(DataItem item, const Course& course);

// The fields of an attendance record and the data item each carries.
enum class AttendanceField {
  kStatus, kMinutesPresent, kMode, kNotifiedInAdvance, kReason, kNote,
  kClassification,
};
DataItem ItemOf(AttendanceField f);
// Which endpoints receive this field of an attendance of this learner.
EndpointSet Recipients(AttendanceField f, const Learner& learner);

}  // namespace presentie

#endif  // PRESENTIE_CORE_ROUTING_H_
