// The traits of a record kind (storage/kinds/traits.h).
// A row of the school's hours for DUO (core/authorities/duo.h): written by
// the school's admin, relayed by the hub.
#ifndef PRESENTIE_STORAGE_KINDS_DUO_HOURS_H_
#define PRESENTIE_STORAGE_KINDS_DUO_HOURS_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::DuoHours> {
  static constexpr RecordKind kKind = RecordKind::kDuoHours;
  static constexpr std::string_view kName = "duo_hours";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, learner_id, course_id, as_of, unseal(bsn,'bsn'), course_type, start_date, end_date, "
      "hours_purchased, hours_attended, ona_hours";

  static std::string Id(const exports::DuoHours& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::DuoHours& r, const KeyMap& f) {
    f(r.learner_id);
    f(r.course_id);
    r.id = exports::DuoHoursId(r.learner_id, r.course_id, r.as_of);
  }
  static Status Validate(const exports::DuoHours& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::DuoHours* h) {
    h->id = s.ColumnString(c);
    h->learner_id = s.ColumnString(c + 1);
    h->course_id = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 3)), &h->as_of));
    h->bsn = s.ColumnString(c + 4);
    PRESENTIE_RETURN_IF_ERROR(Take(exports::ParseDuoCourseType(s.ColumnText(c + 5)), &h->type));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 6)), &h->start));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 7)), &h->end));
    h->hours_purchased = static_cast<int>(s.ColumnInt(c + 8));
    h->hours_attended = s.ColumnInt(c + 9);
    h->ona_hours = s.ColumnInt(c + 10);
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::DuoHours& h) {
    s.BindTextRef(i, h.id);
    s.BindTextRef(i + 1, h.learner_id);
    s.BindTextRef(i + 2, h.course_id);
    s.BindText(i + 3, FormatDate(h.as_of));
    s.BindTextRef(i + 4, h.bsn);
    s.BindStaticText(i + 5, exports::ToString(h.type));
    s.BindText(i + 6, FormatDate(h.start));
    s.BindText(i + 7, FormatDate(h.end));
    s.BindInt(i + 8, h.hours_purchased);
    s.BindInt(i + 9, h.hours_attended);
    s.BindInt(i + 10, h.ona_hours);
  }

  // A school's fact about its learner, with the learner's BSN: an
  // authority's register links the learner to the person (endpoint.cc).
  static const std::string& SchoolLearner(const exports::DuoHours& r) { return r.learner_id; }

  static Result<std::string> Body(const exports::DuoHours& h) {
    CanonicalObject o;
    o.Text("as_of", FormatDate(h.as_of))
        .Text("bsn", h.bsn)
        .Text("course_id", h.course_id)
        .Text("course_type", exports::ToString(h.type))
        .Text("end", FormatDate(h.end))
        .Int("hours_attended", h.hours_attended)
        .Int("hours_purchased", h.hours_purchased)
        .Text("id", h.id)
        .Text("learner_id", h.learner_id)
        .Int("ona_hours", h.ona_hours)
        .Text("start", FormatDate(h.start));
    return o.Finish("DUO row", h.id);
  }

  static exports::DuoHours FromBody(BodyReader& r) {
    exports::DuoHours h;
    h.id = r.Text("id");
    h.learner_id = r.Text("learner_id");
    h.course_id = r.Text("course_id");
    h.as_of = r.Day("as_of");
    h.bsn = r.Text("bsn");
    h.type = r.Enum<exports::DuoCourseType>("course_type", exports::ParseDuoCourseType);
    h.start = r.Day("start");
    h.end = r.Day("end");
    h.hours_purchased = r.Int("hours_purchased");
    h.hours_attended = r.Int("hours_attended");
    h.ona_hours = r.Int("ona_hours");
    if (r.status().ok() && h.id != exports::DuoHoursId(h.learner_id, h.course_id, h.as_of)) {
      r.FailRecord("body id does not match its learner, course and month");
    }
    return h;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::DuoHours&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_DUO_HOURS_H_
