#include "sync_test_util.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "core/hlc.h"
#include "core/ids.h"

namespace presentie::sync::testing {

using storage::Record;
using storage::VersionedRecord;

VersionStamp SampleStamp(const std::string& writer, Role role, uint64_t hlc_ms) {
  VersionStamp s;
  s.vv.Set(writer, 1);
  s.hlc = Hlc{hlc_ms, 0};
  s.writer = Writer{writer, role, role == Role::kTeacher ? "tjansen" : "admin1"};
  return s;
}

std::vector<VersionedRecord> OneOfEachKind() {
  std::vector<VersionedRecord> out;
  const uint64_t t = 1'790'000'000'000;

  Learner l;
  l.id = "S1042";
  l.bsn = "111222333";
  l.name = "Zoë Çelik-Ağaoğlu";
  l.category = Category::kAsylumPermitHolder;
  l.regime = Regime::kWi2021;
  l.route = Route::kEducation;
  l.level = Level::kB1;
  l.literacy = Literacy::kAA;
  l.estimated_hours = 600;
  l.gemeente_code = "0363";
  l.lessons_per_week = 4;
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t), l});

  Learner old;
  old.id = "S7";
  old.bsn = "123456782";
  old.name = "A. Bakr";
  old.regime = Regime::kWi2013;
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 1), old});

  Course c;
  c.id = "NT2-B1-2026A";
  c.name = "NT2 B1 ochtend";
  c.component = Component::kNt2;
  c.regime = Regime::kWi2021;
  c.route = Route::kB1;
  c.start_date = Date{2026, 9, 1};
  c.end_date = Date{2027, 6, 30};
  c.hours_purchased = 400;
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 2), c});

  Course open;
  open.id = "KNM.open";
  open.name = "KNM";
  open.component = Component::kKnm;
  open.regime = Regime::kWi2013;
  open.start_date = Date{2026, 1, 5};
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 3), open});

  Enrollment e{EnrollmentId(c.id, l.id), c.id, l.id, true};
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 4), e});
  Enrollment left{EnrollmentId(open.id, old.id), open.id, old.id, false};
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 5), left});

  Lesson lesson;
  lesson.id = DefaultLessonId(c.id, "2026-11-30T09:00");
  lesson.course_id = c.id;
  lesson.start = DateTime{Date{2026, 11, 30}, 9, 0};
  lesson.duration_minutes = 180;
  lesson.teacher = "T. Jansen";
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 6), lesson});

  Attendance present;
  present.lesson_id = lesson.id;
  present.learner_id = old.id;
  present.id = AttendanceId(present.lesson_id, present.learner_id);
  present.minutes_present = 180;
  out.push_back({SampleStamp(kReplicaB, Role::kTeacher, t + 7), present});

  Attendance absent;
  absent.lesson_id = lesson.id;
  absent.learner_id = l.id;
  absent.id = AttendanceId(absent.lesson_id, absent.learner_id);
  absent.status = AttendanceStatus::kAbsent;
  absent.mode = Mode::kRemote;
  absent.notified_in_advance = true;
  absent.reason = AbsenceReason::kIllness;
  absent.note = "belde om 8:15 — ziek";
  absent.decision = ClassificationDecision{Classification::kExcused, Role::kGemeente};
  VersionStamp edited = SampleStamp(kReplicaC, Role::kGemeente, t + 8);
  edited.vv.Set(kReplicaB, 3);
  edited.hlc.logical = 17;
  out.push_back({edited, absent});

  Attendance partial = present;
  partial.learner_id = "S1043";
  partial.id = AttendanceId(partial.lesson_id, partial.learner_id);
  partial.status = AttendanceStatus::kPartial;
  partial.minutes_present = 95;
  partial.reason = AbsenceReason::kOther;
  partial.decision = ClassificationDecision{Classification::kUnexcused, Role::kAdmin};
  // A clock behind the previous version's: the delta is negative. Written
  // by an admin: only the admin sets an admin decision (O.decision-owner).
  out.push_back({SampleStamp(kReplicaB, Role::kAdmin, t - 86'400'000), partial});

  // A submission to DUO (protocol version 2), written by the admin.
  exports::DuoHours duo;
  duo.learner_id = old.id;
  duo.course_id = c.id;
  duo.as_of = Date{2026, 11, 30};
  duo.id = exports::DuoHoursId(duo.learner_id, duo.course_id, duo.as_of);
  duo.bsn = old.bsn;
  duo.type = exports::DuoCourseType::kIntegration;
  duo.start = Date{2026, 9, 1};
  duo.end = Date{2027, 6, 30};
  duo.hours_purchased = 400;
  duo.hours_attended = 57;
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 9), duo});

  // A submission to gemeente 0363 about its asylum permit holder.
  exports::GemeenteHours gemeente;
  gemeente.learner_id = l.id;
  gemeente.gemeente_code = "0363";
  gemeente.peildatum = Date{2026, 11, 30};
  gemeente.id = exports::GemeenteHoursId("0363", l.id, gemeente.peildatum);
  gemeente.bsn = l.bsn;
  gemeente.attended_hours = 40;
  gemeente.literacy_hours = 6;
  gemeente.excused_hours = 3;
  gemeente.unclassified_hours = 3;
  gemeente.notified_hours = 3;
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 10), gemeente});

  // The facts of that resident's absence, sent to the gemeente (no reason),
  // and the gemeente's decision on it, written at its endpoint.
  exports::GemeenteAbsence facts;
  facts.lesson_id = lesson.id;
  facts.learner_id = l.id;
  facts.gemeente_code = "0363";
  facts.id = exports::GemeenteAbsenceId("0363", facts.lesson_id, facts.learner_id);
  facts.bsn = l.bsn;
  facts.lesson_start = lesson.start;
  facts.minutes_absent = 180;
  facts.notified_in_advance = true;
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 11), facts});

  exports::GemeenteDecision decided;
  decided.lesson_id = lesson.id;
  decided.learner_id = l.id;
  decided.gemeente_code = "0363";
  decided.id = exports::GemeenteDecisionId("0363", decided.lesson_id, decided.learner_id);
  decided.value = Classification::kExcused;
  decided.decided_on = Date{2026, 12, 1};
  out.push_back({SampleStamp(kReplicaC, Role::kGemeente, t + 12), decided});

  // The school's classification of a Wi2013 learner's absence, for DUO.
  exports::DuoAbsence classified;
  classified.lesson_id = lesson.id;
  classified.learner_id = old.id;
  classified.id = exports::DuoAbsenceId(classified.lesson_id, classified.learner_id);
  classified.bsn = old.bsn;
  classified.lesson_start = lesson.start;
  classified.minutes_absent = 85;
  classified.classification = Classification::kUnexcused;
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 13), classified});

  // An exam result DUO sends back about the Wi2013 learner, written at its
  // endpoint.
  exports::DuoExamResult exam;
  exam.learner_id = old.id;
  exam.bsn = old.bsn;
  exam.exam = exports::DuoExam::kSpreken;
  exam.level = Level::kA2;
  exam.passed = true;
  exam.taken_on = Date{2026, 12, 3};
  exam.id = exports::DuoExamResultId(exam.learner_id, exam.exam, exam.taken_on);
  out.push_back({SampleStamp(kReplicaDuo, Role::kDuo, t + 14), exam});

  // Blik op Werk: a teacher's qualification (the school's record), the B1
  // course's planning and the qualification as sent.
  Qualification q;
  q.id = DefaultQualificationId(lesson.teacher, Component::kNt2);
  q.teacher = lesson.teacher;
  q.component = Component::kNt2;
  q.title = "Post-hbo NT2-docent";
  q.obtained = Date{2015, 6, 30};
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 15), q});
  const std::vector<Lesson> lessons = {lesson};
  std::optional<exports::BowPlanning> planning = exports::BowPlanningFor(c, lessons);
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 16), *planning});
  const std::vector<Qualification> quals = {q};
  const std::vector<exports::BowPlanning> plans = {*planning};
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 17),
                 exports::BowQualificationsFor(quals, plans).at(0)});

  // The gemeente's PIP of its resident (index 19), written at its endpoint.
  exports::GemeentePip pip;
  pip.learner_id = l.id;
  pip.gemeente_code = l.gemeente_code;
  pip.id = exports::GemeentePipId(pip.gemeente_code, pip.learner_id);
  pip.route = Route::kB1;
  pip.level = Level::kB1;
  pip.literacy = Literacy::kA;
  pip.estimated_hours = 600;
  pip.lessons_per_week = 4;
  pip.decided_on = Date{2026, 12, 2};
  out.push_back({SampleStamp(kReplicaC, Role::kGemeente, t + 18), pip});

  // DUO's view of the Wi2013 learner's duty (index 20), written at its
  // endpoint.
  exports::DuoDuty duty;
  duty.learner_id = old.id;
  duty.id = exports::DuoDutyId(duty.learner_id);
  duty.bsn = old.bsn;
  duty.status = exports::DutyStatus::kExtended;
  duty.term_end = Date{2027, 12, 31};
  duty.decided_on = Date{2026, 12, 3};
  out.push_back({SampleStamp(kReplicaDuo, Role::kDuo, t + 19), duty});

  // What the admin enters for DUO and the gemeente (indexes 21-23): the
  // Wi2013 learner's contract and an invoice on it, and the gemeente's
  // resident's bridging diploma, addressed to their gemeente.
  exports::Contract contract{"2026-014", old.id, old.bsn, Date{2026, 8, 20}, Date{2026, 9, 1},
                             Date{2027, 8, 31}, 600, 650000};
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 20), contract});
  exports::Invoice invoice{"F2026-0301", contract.id, old.id, old.bsn, Date{2026, 10, 1}, 120,
                           130000};
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 21), invoice});
  exports::BridgingDiploma diploma{exports::BridgingDiplomaId(l.id, l.gemeente_code), l.id, l.bsn,
                                   l.gemeente_code, Date{2027, 6, 30}};
  out.push_back({SampleStamp(kReplicaA, Role::kAdmin, t + 22), diploma});

  // The gemeente's NAW data of its resident (index 24), written at its
  // endpoint.
  exports::GemeenteNaw naw;
  naw.learner_id = l.id;
  naw.gemeente_code = l.gemeente_code;
  naw.id = exports::GemeenteNawId(naw.gemeente_code, naw.learner_id);
  naw.name = "Yonas Tesfay Gebre";
  naw.address = "Kerkstraat 12 A";
  naw.postcode = "1011AB";
  naw.residence = "Amsterdam";
  naw.decided_on = Date{2026, 12, 2};
  out.push_back({SampleStamp(kReplicaC, Role::kGemeente, t + 23), naw});
  return out;
}

std::vector<VersionedRecord> RealisticAttendance(int learners, int lessons) {
  std::mt19937_64 rng(20261130);
  auto chance = [&rng](double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; };
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };

  struct Device {
    std::string replica;
    std::string user;
    HybridClock clock;
  };
  std::vector<Device> devices = {{"3f9c2a71b04e8d15", "tjansen", HybridClock()},
                                 {"a07e55c1d92b3f60", "mbakker", HybridClock()},
                                 {"5d1b9e0c7a43f2e8", "sdevries", HybridClock()}};
  std::vector<std::string> learner_ids;
  for (int i = 0; i < learners; ++i) learner_ids.push_back("S" + std::to_string(1042 + i));
  const std::vector<std::string> notes = {"ziek gemeld", "tandarts", "afspraak gemeente",
                                          "kind ziek", "belde niet af"};

  std::vector<VersionedRecord> out;
  out.reserve(static_cast<size_t>(learners) * static_cast<size_t>(lessons));
  Date day{2026, 9, 1};
  int64_t epoch_day = DaysSinceEpoch(day);
  for (int i = 0; i < lessons; ++i) {
    // Two lessons a school day: NT2 in the morning, KNM or NT2 after lunch.
    const bool morning = i % 2 == 0;
    if (morning && i > 0) {
      // The next school day: Monday after a Friday.
      const std::chrono::weekday day_of_week{std::chrono::sys_days{std::chrono::days{epoch_day}}};
      epoch_day += day_of_week == std::chrono::Friday ? 3 : 1;
    }
    const std::string course =
        morning ? "NT2-B1-2026A" : (i % 4 == 1 ? "KNM-2026A" : "NT2-B1-2026A");
    const int duration = morning ? 180 : 120;
    const int hour = morning ? 9 : 13;
    const int64_t days = epoch_day;
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
    char start[20];
    std::snprintf(start, sizeof start, "%04d-%02u-%02uT%02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), hour,
                  morning ? 0 : 30);
    const std::string lesson_id = DefaultLessonId(course, start);

    Device& device = devices[static_cast<size_t>(morning ? (i / 2) % 2 : 2)];
    // Recorded during the lesson; one transaction, a millisecond or so apart.
    uint64_t physical_ms =
        static_cast<uint64_t>(days) * 86'400'000 + static_cast<uint64_t>(hour - 1) * 3'600'000 +
        static_cast<uint64_t>(10 + pick(40)) * 60'000 + static_cast<uint64_t>(pick(60'000));
    for (const std::string& learner : learner_ids) {
      Attendance a;
      a.lesson_id = lesson_id;
      a.learner_id = learner;
      a.id = AttendanceId(lesson_id, learner);
      if (chance(0.88)) {
        a.status = AttendanceStatus::kPresent;
        a.minutes_present = duration;
        if (chance(0.02)) a.mode = Mode::kRemote;
      } else if (chance(0.6)) {
        a.status = AttendanceStatus::kAbsent;
        a.notified_in_advance = chance(0.6);
        const int r = pick(10);
        a.reason = r < 5   ? AbsenceReason::kIllness
                   : r < 7 ? AbsenceReason::kOther
                   : r < 9 ? AbsenceReason::kNone
                           : AbsenceReason::kFuneral;
        if (chance(0.3)) a.note = notes[static_cast<size_t>(pick(4))];
      } else {
        a.status = AttendanceStatus::kPartial;
        a.minutes_present = duration - 15 * (1 + pick(4));
        a.reason = chance(0.5) ? AbsenceReason::kOther : AbsenceReason::kNone;
        if (chance(0.3)) a.note = "te laat (bus)";
      }
      VersionStamp s;
      s.vv.Set(device.replica, 1);
      physical_ms += static_cast<uint64_t>(pick(3) == 0 ? 1 : 0);
      s.hlc = device.clock.Now(physical_ms);
      s.writer = Writer{device.replica, Role::kTeacher, device.user};
      out.push_back({std::move(s), std::move(a)});
    }
  }
  return out;
}

std::vector<VersionedRecord> RealShapedAttendance(int versions) {
  std::mt19937_64 rng(20261207);
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto hex = [&rng](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "0123456789abcdef"[rng() % 16];
    return s;
  };
  auto uuid = [&] {
    return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-" + "89ab"[rng() % 4] + hex(3) + "-" + hex(12);
  };
  constexpr int kGroups = 125;
  constexpr int kGroupSize = 16;
  constexpr int kTeachers = 25;
  std::vector<std::vector<std::string>> groups(kGroups);
  for (auto& group : groups) {
    for (int i = 0; i < kGroupSize; ++i) group.push_back(uuid());
  }
  struct Device {
    std::string replica;
    std::string user;
    HybridClock clock;
  };
  std::vector<Device> devices;
  for (int t = 0; t < kTeachers; ++t) {
    devices.push_back({hex(16), "docent" + std::to_string(t), HybridClock()});
  }
  std::vector<VersionedRecord> out;
  out.reserve(static_cast<size_t>(versions));
  const uint64_t start_ms = uint64_t{1'788'220'800'000};  // 2026-09-01
  for (int lesson = 0; static_cast<int>(out.size()) < versions; ++lesson) {
    const int g = lesson % kGroups;
    Device& device = devices[static_cast<size_t>(g % kTeachers)];
    const std::string lesson_id = uuid();
    const int duration = 120 + 30 * pick(5);
    // Lessons a minute and a half apart; each recorded during its lesson,
    // seconds between the records.
    uint64_t physical_ms = start_ms + static_cast<uint64_t>(lesson) * 90'000;
    for (const std::string& learner : groups[static_cast<size_t>(g)]) {
      if (static_cast<int>(out.size()) == versions) break;
      Attendance a;
      a.lesson_id = lesson_id;
      a.learner_id = learner;
      a.id = AttendanceId(lesson_id, learner);
      const int r = pick(100);
      if (r < 80) {
        a.status = AttendanceStatus::kPresent;
        a.minutes_present = duration;
      } else if (r < 92) {
        a.status = AttendanceStatus::kAbsent;
        a.notified_in_advance = pick(2) == 0;
        a.reason = r < 86 ? AbsenceReason::kIllness : AbsenceReason::kOther;
      } else {
        a.status = AttendanceStatus::kPartial;
        a.minutes_present = duration - 15 * (1 + pick(4));
        a.reason = AbsenceReason::kOther;
      }
      VersionStamp s;
      s.vv.Set(device.replica, 1);
      physical_ms += static_cast<uint64_t>(1'000 + pick(9'000));
      s.hlc = device.clock.Now(physical_ms);
      s.writer = Writer{device.replica, Role::kTeacher, device.user};
      out.push_back({std::move(s), std::move(a)});
    }
  }
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

std::vector<VersionedRecord> ColumnOrder(std::vector<VersionedRecord> v) {
  std::stable_partition(v.begin(), v.end(), [](const VersionedRecord& r) {
    return !std::holds_alternative<Attendance>(r.record);
  });
  return v;
}

namespace {

namespace gen = rc::gen;

const std::string kKeyFirst = "abcxyzABCXYZ0189";
const std::string kKeyRest = "abcxyzABCXYZ0189._-";

rc::Gen<std::string> GenKey() {
  return gen::exec([] {
    std::string key(1, *gen::elementOf(kKeyFirst));
    const int n = *gen::inRange(0, 20);
    for (int i = 0; i < n; ++i) key += *gen::elementOf(kKeyRest);
    return key;
  });
}

// Keys from a small pool, so dictionaries repeat, or fresh ones.
rc::Gen<std::string> GenPooledKey(const char* prefix) {
  return gen::oneOf(gen::map(gen::inRange(0, 4),
                             [prefix](int i) { return std::string(prefix) + std::to_string(i); }),
                    GenKey());
}

rc::Gen<std::string> GenReplica() {
  return gen::oneOf(gen::element(kReplicaA, kReplicaB, kReplicaC), gen::exec([] {
                      std::string r;
                      for (int i = 0; i < 16; ++i)
                        r += *gen::elementOf(std::string("0123456789abcdef"));
                      return r;
                    }));
}

// Text with ASCII, accents, a euro sign, a four-byte emoji and the odd quote.
rc::Gen<std::string> GenText() {
  return gen::exec([] {
    std::string out;
    const int n = *gen::inRange(0, 16);
    for (int i = 0; i < n; ++i) {
      out += *gen::elementOf(std::vector<std::string>{"a", "Z", " ", "0", "-", "\"", "\\", "é", "ë",
                                                      "ç", "ğ", "€", "\xF0\x9F\x98\x80", "\t"});
    }
    return out;
  });
}

rc::Gen<Date> GenDate() {
  return gen::exec([] {
    return Date{*gen::inRange(1900, 10000), *gen::inRange(1, 13), *gen::inRange(1, 29)};
  });
}

template <typename E>
rc::Gen<E> GenEnum(std::initializer_list<E> values) {
  return gen::elementOf(std::vector<E>(values));
}

rc::Gen<Role> GenRole() {
  return GenEnum(
      {Role::kTeacher, Role::kAdmin, Role::kHub, Role::kDuo, Role::kGemeente, Role::kBow});
}

rc::Gen<VersionStamp> GenStamp() {
  return gen::exec([] {
    VersionStamp s;
    const int entries = *gen::inRange(1, 5);
    for (int i = 0; i < entries; ++i) {
      // Small, anywhere up to the ceiling (core/version_vector.h), or at it.
      const uint64_t counter =
          *gen::oneOf(gen::inRange<uint64_t>(1, 5), gen::inRange<uint64_t>(1, kMaxCounter + 1),
                      gen::just(kMaxCounter));
      s.vv.Set(*GenReplica(), counter);
    }
    s.hlc = Hlc::Unpack(*gen::arbitrary<uint64_t>());
    s.writer = Writer{
        *GenReplica(), *GenRole(),
        *gen::oneOf(gen::elementOf(std::vector<std::string>{"tjansen", "admin1", ""}), GenText())};
    return s;
  });
}

rc::Gen<Record> GenLearner() {
  return gen::exec([] {
    Learner l;
    l.id = *GenPooledKey("S");
    l.bsn =
        *gen::oneOf(gen::elementOf(std::vector<std::string>{"111222333", "123456782"}), GenText());
    l.name = *GenText();
    l.category = *GenEnum(
        {Category::kFamilyMigrant, Category::kOtherMigrant, Category::kAsylumPermitHolder});
    l.regime = *GenEnum({Regime::kWi2013, Regime::kWi2021});
    l.route = *GenEnum({Route::kNone, Route::kB1, Route::kEducation, Route::kZ});
    l.level = *GenEnum({Level::kNone, Level::kA2, Level::kB1});
    l.literacy = *GenEnum({Literacy::kNvt, Literacy::kA, Literacy::kAA});
    l.estimated_hours = *gen::arbitrary<int>();
    l.gemeente_code = *gen::elementOf(std::vector<std::string>{"", "0363", "0599"});
    l.lessons_per_week = *gen::inRange(0, 41);
    return Record(l);
  });
}

rc::Gen<Record> GenCourse() {
  return gen::exec([] {
    Course c;
    c.id = *GenPooledKey("C");
    c.name = *GenText();
    c.component = *GenEnum({Component::kNt2, Component::kKnm, Component::kLiteracy});
    c.regime = *GenEnum({Regime::kWi2013, Regime::kWi2021});
    c.route = *GenEnum({Route::kNone, Route::kB1, Route::kEducation, Route::kZ});
    if (*gen::arbitrary<bool>()) c.start_date = *GenDate();
    if (*gen::arbitrary<bool>()) c.end_date = *GenDate();
    c.hours_purchased = *gen::arbitrary<int>();
    return Record(c);
  });
}

rc::Gen<Record> GenEnrollment() {
  return gen::exec([] {
    Enrollment e;
    e.course_id = *GenPooledKey("C");
    e.learner_id = *GenPooledKey("S");
    e.id = EnrollmentId(e.course_id, e.learner_id);
    e.active = *gen::arbitrary<bool>();
    return Record(e);
  });
}

rc::Gen<Record> GenLesson() {
  return gen::exec([] {
    Lesson l;
    l.id = *GenPooledKey("L");
    l.course_id = *GenPooledKey("C");
    l.start = DateTime{*GenDate(), *gen::inRange(0, 24), *gen::inRange(0, 60)};
    l.duration_minutes = *gen::arbitrary<int>();
    l.teacher = *GenText();
    return Record(l);
  });
}

rc::Gen<Record> GenAttendance() {
  return gen::exec([] {
    Attendance a;
    a.lesson_id = *GenPooledKey("L");
    a.learner_id = *GenPooledKey("S");
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    a.status = *GenEnum(
        {AttendanceStatus::kPresent, AttendanceStatus::kAbsent, AttendanceStatus::kPartial});
    // 0..720: the codec refuses more than the longest lesson, or fewer than 0.
    a.minutes_present = *gen::inRange(0, 721);
    a.mode = *GenEnum({Mode::kOnSite, Mode::kRemote});
    a.notified_in_advance = *gen::arbitrary<bool>();
    a.reason = *GenEnum({AbsenceReason::kNone, AbsenceReason::kIllness, AbsenceReason::kWedding,
                         AbsenceReason::kFuneral, AbsenceReason::kReligiousHoliday,
                         AbsenceReason::kOther, AbsenceReason::kDoubtful});
    a.note = *gen::oneOf(gen::just(std::string()), GenText());
    if (*gen::arbitrary<bool>()) {
      a.decision =
          ClassificationDecision{*GenEnum({Classification::kNotApplicable, Classification::kExcused,
                                           Classification::kUnexcused, Classification::kPending}),
                                 *GenRole()};
    }
    return Record(a);
  });
}

rc::Gen<Record> GenDuoHours() {
  return gen::exec([] {
    exports::DuoHours h;
    h.learner_id = *GenPooledKey("S");
    h.course_id = *GenPooledKey("C");
    h.as_of = *GenDate();
    h.id = exports::DuoHoursId(h.learner_id, h.course_id, h.as_of);
    h.bsn = *gen::elementOf(std::vector<std::string>{"111222333", "123456782", "012345672"});
    h.type = *GenEnum({exports::DuoCourseType::kLiteracy, exports::DuoCourseType::kIntegration,
                       exports::DuoCourseType::kNt2});
    const Date a = *GenDate();
    const Date b = *GenDate();
    h.start = std::min(a, b);
    h.end = std::max(a, b);
    h.hours_purchased = *gen::inRange(0, 10'000);
    h.hours_attended = *gen::inRange<int64_t>(0, 1'000'000);
    h.ona_hours = *gen::inRange<int64_t>(0, 1'000);
    return Record(h);
  });
}

rc::Gen<Record> GenGemeenteHours() {
  return gen::exec([] {
    exports::GemeenteHours h;
    h.learner_id = *GenPooledKey("S");
    h.gemeente_code = *gen::elementOf(std::vector<std::string>{"0363", "0599", "1680"});
    h.peildatum = *GenDate();
    h.id = exports::GemeenteHoursId(h.gemeente_code, h.learner_id, h.peildatum);
    h.bsn = *gen::elementOf(std::vector<std::string>{"111222333", "123456782", "012345672"});
    h.attended_hours = *gen::inRange<int64_t>(0, 100'000);
    h.literacy_hours = *gen::inRange<int64_t>(0, 100'000);
    h.excused_hours = *gen::inRange<int64_t>(0, 1'000);
    h.unexcused_hours = *gen::inRange<int64_t>(0, 1'000);
    h.unclassified_hours = *gen::inRange<int64_t>(0, 1'000);
    h.notified_hours = *gen::inRange<int64_t>(0, 1'000);
    return Record(h);
  });
}

rc::Gen<Record> GenGemeenteAbsence() {
  return gen::exec([] {
    exports::GemeenteAbsence a;
    a.lesson_id = *GenPooledKey("L");
    a.learner_id = *GenPooledKey("S");
    a.gemeente_code = *gen::elementOf(std::vector<std::string>{"0363", "0599", "1680"});
    a.id = exports::GemeenteAbsenceId(a.gemeente_code, a.lesson_id, a.learner_id);
    a.bsn = *gen::elementOf(std::vector<std::string>{"111222333", "123456782", "012345672"});
    a.lesson_start = DateTime{*GenDate(), *gen::inRange(0, 24), *gen::inRange(0, 60)};
    a.minutes_absent = *gen::inRange(0, 721);
    a.notified_in_advance = a.minutes_absent > 0 && *gen::arbitrary<bool>();
    return Record(a);
  });
}

rc::Gen<Record> GenDuoAbsence() {
  return gen::exec([] {
    exports::DuoAbsence a;
    a.lesson_id = *GenPooledKey("L");
    a.learner_id = *GenPooledKey("S");
    a.id = exports::DuoAbsenceId(a.lesson_id, a.learner_id);
    a.bsn = *gen::elementOf(std::vector<std::string>{"111222333", "123456782", "012345672"});
    a.lesson_start = DateTime{*GenDate(), *gen::inRange(0, 24), *gen::inRange(0, 60)};
    a.minutes_absent = *gen::inRange(0, 721);
    a.classification = a.minutes_absent == 0
                           ? Classification::kNotApplicable
                           : *GenEnum({Classification::kExcused, Classification::kUnexcused});
    return Record(a);
  });
}

rc::Gen<Record> GenDuoExamResult() {
  return gen::exec([] {
    exports::DuoExamResult e;
    e.learner_id = *GenPooledKey("S");
    e.bsn = *gen::elementOf(std::vector<std::string>{"111222333", "123456782", "012345672"});
    e.exam = *GenEnum({exports::DuoExam::kLezen, exports::DuoExam::kLuisteren,
                       exports::DuoExam::kSchrijven, exports::DuoExam::kSpreken,
                       exports::DuoExam::kKnm, exports::DuoExam::kOna,
                       exports::DuoExam::kStaatsexamen});
    const bool language = e.exam != exports::DuoExam::kKnm && e.exam != exports::DuoExam::kOna;
    e.level = language ? *GenEnum({Level::kA2, Level::kB1}) : Level::kNone;
    e.passed = *gen::arbitrary<bool>();
    e.taken_on = *GenDate();
    e.id = exports::DuoExamResultId(e.learner_id, e.exam, e.taken_on);
    return Record(e);
  });
}

rc::Gen<Record> GenQualification() {
  return gen::exec([] {
    Qualification q;
    q.id = *GenPooledKey("Q");
    q.teacher = *gen::elementOf(std::vector<std::string>{"J. de Vries", "Ş. Yılmaz", "T"});
    q.component = *GenEnum({Component::kNt2, Component::kKnm, Component::kLiteracy});
    q.title = *gen::elementOf(std::vector<std::string>{"Post-hbo NT2-docent", "KNM"});
    q.obtained = *GenDate();
    return Record(q);
  });
}

rc::Gen<Record> GenBowPlanning() {
  return gen::exec([] {
    exports::BowPlanning p;
    p.course_id = *GenPooledKey("C");
    p.id = exports::BowPlanningId(p.course_id);
    p.course_name = *gen::elementOf(std::vector<std::string>{"NT2 B1", "Alfa Z ochtend"});
    p.component = *GenEnum({Component::kNt2, Component::kKnm, Component::kLiteracy});
    p.regime = *GenEnum({Regime::kWi2021, Regime::kWi2013});
    p.route = p.regime == Regime::kWi2013 ? Route::kNone : *GenEnum({Route::kB1, Route::kZ});
    p.start = *GenDate();
    p.end = p.start;
    p.lessons = *gen::inRange(0, 200);
    p.planned_minutes = int64_t{*gen::inRange(0, 721)} * p.lessons;
    const int teachers = *gen::inRange(0, 4);
    for (int i = 0; i < teachers; ++i) p.teachers.push_back("T" + std::to_string(i));
    return Record(p);
  });
}

rc::Gen<Record> GenBowQualification() {
  return gen::exec([] {
    Record r = *GenQualification();
    const Qualification& q = std::get<Qualification>(r);
    return Record(exports::BowQualification{exports::BowQualificationId(q.id), q.id, q.teacher,
                                            q.component, q.title, q.obtained});
  });
}

rc::Gen<Record> GenGemeentePip() {
  return gen::exec([] {
    exports::GemeentePip p;
    p.learner_id = *GenPooledKey("S");
    p.gemeente_code = *gen::elementOf(std::vector<std::string>{"0363", "0599", "1680"});
    p.id = exports::GemeentePipId(p.gemeente_code, p.learner_id);
    p.route = *GenEnum({Route::kB1, Route::kEducation, Route::kZ});
    p.level = *GenEnum({Level::kA2, Level::kB1});
    p.literacy = *GenEnum({Literacy::kA, Literacy::kAA, Literacy::kNvt});
    p.estimated_hours = *gen::inRange(0, 10000);
    p.lessons_per_week = *gen::inRange(0, 41);
    p.decided_on = *GenDate();
    return Record(p);
  });
}

rc::Gen<Record> GenDuoDuty() {
  return gen::exec([] {
    exports::DuoDuty d;
    d.learner_id = *GenPooledKey("S");
    d.id = exports::DuoDutyId(d.learner_id);
    d.bsn = *gen::elementOf(std::vector<std::string>{"111222333", "123456782", "012345672"});
    d.status = *GenEnum({exports::DutyStatus::kRunning, exports::DutyStatus::kExtended,
                         exports::DutyStatus::kFulfilled, exports::DutyStatus::kExempted});
    if (d.status == exports::DutyStatus::kRunning || d.status == exports::DutyStatus::kExtended) {
      d.term_end = *GenDate();
    }
    d.decided_on = *GenDate();
    return Record(d);
  });
}

rc::Gen<Record> GenGemeenteDecision() {
  return gen::exec([] {
    exports::GemeenteDecision d;
    d.lesson_id = *GenPooledKey("L");
    d.learner_id = *GenPooledKey("S");
    d.gemeente_code = *gen::elementOf(std::vector<std::string>{"0363", "0599", "1680"});
    d.id = exports::GemeenteDecisionId(d.gemeente_code, d.lesson_id, d.learner_id);
    d.value = *GenEnum({Classification::kExcused, Classification::kUnexcused});
    d.decided_on = *GenDate();
    return Record(d);
  });
}

}  // namespace

rc::Gen<VersionedRecord> GenVersion() {
  return gen::exec([] {
    // Attendance is most of a real batch, and has the most to get wrong.
    Record r = *gen::weightedOneOf<Record>({{1, GenLearner()},
                                            {1, GenCourse()},
                                            {1, GenEnrollment()},
                                            {1, GenLesson()},
                                            {1, GenDuoHours()},
                                            {1, GenGemeenteHours()},
                                            {1, GenGemeenteAbsence()},
                                            {1, GenGemeenteDecision()},
                                            {1, GenDuoAbsence()},
                                            {1, GenDuoExamResult()},
                                            {1, GenQualification()},
                                            {1, GenBowPlanning()},
                                            {1, GenBowQualification()},
                                            {1, GenGemeentePip()},
                                            {1, GenDuoDuty()},
                                            {4, GenAttendance()}});
    return VersionedRecord{*GenStamp(), std::move(r)};
  });
}

}  // namespace presentie::sync::testing
