// Verzuim (docs/authorities.md, "Absences and the gemeente's decisions"):
// the school submits the facts of its asylum permit holders' absences, the
// gemeente's register decides on those it received, and the decision, back
// at the school, is what the attendance shows and what hours and R4 count —
// over the school's own view, and over later edits of the attendance.
#include <gtest/gtest.h>

#include "core/classification.h"
#include "core/authorities.h"
#include "core/hours.h"
#include "core/ownership.h"
#include "core/ids.h"
#include "storage/kinds/all.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace verzuim_test {

using testing::Admin;
using testing::SampleCourse;
using testing::SampleLearner;
using testing::SampleLesson;
using testing::StorageTest;
using testing::VersionsAfter;

class VerzuimTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    school_ = CreateRegister();
    ASSERT_NE(school_, nullptr);
    Learner a = SampleLearner("A1", 1);
    a.category = Category::kAsylumPermitHolder;
    a.gemeente_code = "0363";
    Learner f = SampleLearner("F1", 2);  // a family migrant: the school classifies
    ASSERT_TRUE(school_->AddLearners(Admin(), std::vector{a, f}, "learner.add").ok());
    ASSERT_TRUE(school_->AddCourse(Admin(), SampleCourse("C1")).ok());
    ASSERT_TRUE(school_->Enroll(Admin(), "C1", std::vector<std::string>{"A1", "F1"}).ok());
    ASSERT_TRUE(school_->AddLesson(Admin(), SampleLesson("L1", "C1", 1)).ok());
    ASSERT_TRUE(school_->AddLesson(Admin(), SampleLesson("L2", "C1", 2)).ok());
    // A1 misses both lessons: ill (excused by the school's R2), then for
    // another reason (unexcused by it); F1 misses L2.
    ASSERT_TRUE(school_
                    ->RecordAttendance(Admin(),
                                       std::vector{testing::Absent("L1", "A1"),
                                                   testing::Absent("L2", "A1",
                                                                   AbsenceReason::kOther),
                                                   testing::Absent("L2", "F1")},
                                       "attend")
                    .ok());

    InitOptions init;
    init.school_name = "Gemeente Amsterdam";
    init.role = Role::kGemeente;
    auto gemeente = Store::Create(PathOf("gemeente.db"), init, Options());
    ASSERT_TRUE(gemeente.ok()) << gemeente.status().ToString();
    gemeente_ = std::move(gemeente).value();
  }

  // What `presentie submit gemeente` computes for 0363 on 30 November.
  std::vector<exports::GemeenteAbsence> AbsencesOf0363() {
    std::vector<exports::GemeenteAbsence> out;
    auto all = school_->LessonsByLearner();
    if (!all.ok()) {
      ADD_FAILURE() << all.status().ToString();
      return out;
    }
    for (const LearnerLessons& ll : *all) {
      for (auto& a : exports::GemeenteAbsencesFor(ll.learner, ll.lines, "0363",
                                                   Date{2026, 11, 30})) {
        out.push_back(std::move(a));
      }
    }
    return out;
  }

  // Sends `from`'s versions after `seq` to `to`, as a sync would: from the
  // gemeente's endpoint, what it addresses to the school since the last
  // send (its outbox; `seq` is the school's).
  Result<Store::ApplyResult> Send(Store& from, Store& to, int64_t seq) {
    if (&from == gemeente_.get()) {
      auto addressed = from.AddressedTo(to.info().replica_id, outbox_cursor_, 10'000);
      if (!addressed.ok()) return addressed.status();
      outbox_cursor_ = addressed->next;
      return to.ApplyRemote(from.info().replica_id, addressed->versions, {});
    }
    auto versions = VersionsAfter(from, seq);
    if (!versions.ok()) return versions.status();
    if (&to == gemeente_.get()) {
      // What the school's sync sends the gemeente's endpoint (R1): its
      // submissions for that gemeente, nothing of its own register.
      std::erase_if(*versions, [](const VersionedRecord& v) {
        return KindOf(v.record) != RecordKind::kGemeenteHours &&
               KindOf(v.record) != RecordKind::kGemeenteAbsence;
      });
    }
    return to.ApplyRemote(from.info().replica_id, *versions, {});
  }

  // The gemeente's decision on A1's absence in `lesson`, as its register
  // holds it: under the school's keys (docs/authorities.md, "Many schools").
  exports::GemeenteDecision Decision(const std::string& lesson, Classification value) {
    const std::string& school = school_->info().replica_id;
    exports::GemeenteDecision d;
    d.lesson_id = SchoolScopedKey(school, lesson);
    d.learner_id = SchoolScopedKey(school, "A1");
    d.gemeente_code = "0363";
    d.id = exports::GemeenteDecisionId("0363", d.lesson_id, d.learner_id);
    d.value = value;
    d.decided_on = Date{2026, 12, 1};
    return d;
  }

  Actor GemeenteActor() { return Actor{Role::kGemeente, "ambtenaar"}; }

  // A record about A1 as the gemeente writes it: about the person (their key
  // at its register; "P0", nobody, before a school sent A1 there).
  template <typename T>
  std::vector<T> AtGemeente(std::vector<T> rows) {
    auto person = gemeente_->PersonByBsn(school_->GetLearner("A1")->bsn);
    EXPECT_TRUE(person.ok()) << person.status().ToString();
    const std::string key = person.ok() && person->has_value() ? **person : "P0";
    for (T& r : rows) kinds::KindTraits<T>::Rekey(r, [&](std::string& k) { k = key; });
    return rows;
  }

  int64_t outbox_cursor_ = 0;

  // What `presentie submit gemeente` computes as 0363's hours rows.
  std::vector<exports::GemeenteHours> HoursOf0363() {
    std::vector<exports::GemeenteHours> out;
    auto all = school_->LessonsByLearner();
    if (!all.ok()) {
      ADD_FAILURE() << all.status().ToString();
      return out;
    }
    for (const LearnerLessons& ll : *all) {
      if (auto row = exports::GemeenteRowFor(ll.learner, ll.lines, "0363", Date{2026, 11, 30})) {
        out.push_back(exports::GemeenteHoursOf(*row));
      }
    }
    return out;
  }

  // A1's minutes and R4 verdict as `report hours` computes them.
  std::pair<ComponentMinutes, EffortVerdict> HoursOfA1() {
    auto all = school_->LessonsByLearner();
    if (!all.ok()) {
      ADD_FAILURE() << all.status().ToString();
      return {};
    }
    for (const LearnerLessons& ll : *all) {
      if (ll.learner.id == "A1") {
        return {Summarize(ll.learner, ll.lines).total(),
                SubstantialEffort(ll.learner, ll.lines).verdict};
      }
    }
    ADD_FAILURE() << "no learner A1";
    return {};
  }

  Attendance AttendanceOf(const std::string& lesson) {
    auto list = school_->ListAttendance(lesson);
    if (!list.ok()) {
      ADD_FAILURE() << list.status().ToString();
      return {};
    }
    for (const Attendance& a : *list) {
      if (a.learner_id == "A1") return a;
    }
    ADD_FAILURE() << "no attendance of A1 in " << lesson;
    return {};
  }

  std::unique_ptr<Store> school_;
  std::unique_ptr<Store> gemeente_;
};

TEST_F(VerzuimTest, OnlyTheGemeentesResidentsAbsencesGoWithTheirFactsAndNoReason) {
  const std::vector<exports::GemeenteAbsence> absences = AbsencesOf0363();
  ASSERT_EQ(absences.size(), 2u);  // A1's two; not F1's
  EXPECT_EQ(absences[0].id, "gemeente/0363/absence/L1/A1");
  EXPECT_EQ(absences[0].minutes_absent, 120);
  EXPECT_FALSE(absences[0].notified_in_advance);
  auto r = school_->SubmitGemeente(Admin(), {}, absences);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->absences.added, 2u);
  // The whole call is one transaction: a bad absence writes nothing.
  std::vector<exports::GemeenteAbsence> bad = absences;
  bad[1].minutes_absent = -1;
  const int64_t seq = *school_->LastChangeSeq();
  EXPECT_EQ(school_->SubmitGemeente(Admin(), {}, bad).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(*school_->LastChangeSeq(), seq);
}

TEST_F(VerzuimTest, TheGemeentesDecisionComesBackAndWinsInHoursAndR4) {
  // The school's own view first (advice for an asylum permit holder): ill
  // is excused, 'other' unexcused, so A1 does not qualify for R4.
  auto [before, before_r4] = HoursOfA1();
  EXPECT_EQ(before.excused_absent, 120);
  EXPECT_EQ(before.unexcused_absent, 120);
  EXPECT_EQ(before_r4, EffortVerdict::kDoesNotQualify);

  ASSERT_TRUE(school_->SubmitGemeente(Admin(), {}, AbsencesOf0363()).ok());
  ASSERT_TRUE(Send(*school_, *gemeente_, 0).ok());
  ASSERT_EQ(gemeente_->ListGemeenteAbsences()->size(), 2u);

  // The gemeente excuses both (it may know what the school does not).
  const int64_t gemeente_seq = *gemeente_->LastChangeSeq();
  auto decided = gemeente_->DecideAbsences(
      GemeenteActor(), std::vector{Decision("L1", Classification::kExcused),
                                   Decision("L2", Classification::kExcused)});
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->added, 2u);
  auto applied = Send(*gemeente_, *school_, gemeente_seq);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 2u);
  EXPECT_EQ(applied->refused, 0u);

  auto [after, after_r4] = HoursOfA1();
  EXPECT_EQ(after.excused_absent, 240);
  EXPECT_EQ(after.unexcused_absent, 0);
  EXPECT_EQ(after_r4, EffortVerdict::kQualifies);
  const Attendance a = AttendanceOf("L2");
  ASSERT_TRUE(a.decision.has_value());
  EXPECT_EQ(a.decision->decided_by, Role::kGemeente);
  EXPECT_EQ(a.decision->value, Classification::kExcused);
  // The reason stays the school's; the classification is the gemeente's.
  EXPECT_EQ(a.reason, AbsenceReason::kOther);
  EXPECT_EQ(Classify(*school_->GetLearner("A1"), a).rule, rule::kGemeenteDecision);

  // A later edit of the absence at the school (a note) keeps the decision.
  Attendance edited = a;
  edited.decision.reset();
  edited.note = "called in late";
  ASSERT_TRUE(school_->RecordAttendance(Admin(), std::vector{edited}, "attend").ok());
  EXPECT_EQ(AttendanceOf("L2").decision->value, Classification::kExcused);
  EXPECT_EQ(AttendanceOf("L2").note, "called in late");
  // The edit's version does not carry the gemeente's decision: that stays
  // in the gemeente's own record.
  auto last = school_->ChangesAfter(*school_->LastChangeSeq() - 1, 1);
  ASSERT_TRUE(last.ok() && last->size() == 1u);
  EXPECT_EQ(last->front().body.find("gemeente"), std::string::npos) << last->front().body;
  // Made a presence, there is nothing left to classify.
  Status present =
      school_->RecordAttendance(Admin(), std::vector{testing::Present("L2", "A1")}, "attend");
  ASSERT_TRUE(present.ok()) << present.ToString();
  EXPECT_FALSE(AttendanceOf("L2").decision.has_value());
}

TEST_F(VerzuimTest, OnlyAGemeenteDecidesAndOnlyOnAbsencesItReceived) {
  ASSERT_TRUE(school_->SubmitGemeente(Admin(), {}, AbsencesOf0363()).ok());
  // The school cannot write the gemeente's decision.
  EXPECT_EQ(school_->DecideAbsences(Admin(), std::vector{Decision("L1", Classification::kExcused)})
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  // The gemeente has not received it yet.
  EXPECT_EQ(gemeente_
                ->DecideAbsences(GemeenteActor(),
                                 std::vector{Decision("L1", Classification::kExcused)})
                .status()
                .code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(Send(*school_, *gemeente_, 0).ok());
  exports::GemeenteDecision pending = Decision("L1", Classification::kPending);
  EXPECT_EQ(gemeente_->DecideAbsences(GemeenteActor(), std::vector{pending}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(gemeente_->ListGemeenteDecisions()->empty());
}

TEST_F(VerzuimTest, ADecisionAboutAnotherGemeentesResidentIsRefusedAndKept) {
  ASSERT_TRUE(school_->SubmitGemeente(Admin(), {}, AbsencesOf0363()).ok());
  ASSERT_TRUE(Send(*school_, *gemeente_, 0).ok());
  const int64_t seq = *gemeente_->LastChangeSeq();
  ASSERT_TRUE(gemeente_
                  ->DecideAbsences(GemeenteActor(),
                                   std::vector{Decision("L2", Classification::kExcused)})
                  .ok());
  // A1 moved to Utrecht (0344) at the school meanwhile: 0363 no longer
  // decides on A1's absences.
  Learner moved = *school_->GetLearner("A1");
  moved.gemeente_code = "0344";
  ASSERT_TRUE(school_->UpdateLearner(Admin(), moved).ok());
  auto applied = Send(*gemeente_, *school_, seq);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->refused, 1u);
  EXPECT_TRUE(school_->ListGemeenteDecisions()->empty());
  ASSERT_EQ(school_->ListRefused()->size(), 1u);
  EXPECT_EQ(school_->ListRefused()->front().rule, own_rule::kGemeenteDecisionOwner);
  EXPECT_FALSE(AttendanceOf("L2").decision.has_value());
}

// The gemeente's PIP of A1 (docs/authorities.md, "The gemeente's PIP"):
// set at the gemeente's register for a learner the school sent hours of,
// received by the school and shown over the learner's own route, level,
// literacy, estimate and intensity — so R3 and R4 follow the gemeente's
// route —, while the versions keep the school's values.
exports::GemeentePip PipOfA1(const std::string& code = "0363") {
  exports::GemeentePip p;
  p.learner_id = "A1";
  p.gemeente_code = code;
  p.id = exports::GemeentePipId(code, "A1");
  p.route = Route::kZ;
  p.level = Level::kA2;
  p.literacy = Literacy::kAA;
  p.estimated_hours = 800;
  p.lessons_per_week = 3;
  p.decided_on = Date{2026, 12, 2};
  return p;
}

TEST_F(VerzuimTest, TheGemeentesPipIsShownOverTheLearnersOwnFields) {
  const std::vector<exports::GemeentePip> pip = {PipOfA1()};
  EXPECT_EQ(school_->SetPips(Admin(), pip).status().code(), StatusCode::kPermissionDenied);
  // Not before a school sent A1's hours here.
  EXPECT_EQ(gemeente_->SetPips(GemeenteActor(), AtGemeente(pip)).status().code(), StatusCode::kNotFound);
  const std::vector<exports::GemeenteHours> hours = HoursOf0363();
  ASSERT_EQ(hours.size(), 1u);
  ASSERT_TRUE(school_->SubmitGemeente(Admin(), hours, {}).ok());
  ASSERT_TRUE(Send(*school_, *gemeente_, 0).ok());
  const int64_t seq = *gemeente_->LastChangeSeq();
  // Nor for a gemeente the school did not send the person's hours to.
  EXPECT_EQ(gemeente_->SetPips(GemeenteActor(), AtGemeente(std::vector{PipOfA1("0344")}))
                .status()
                .code(),
            StatusCode::kNotFound);
  auto set = gemeente_->SetPips(GemeenteActor(), AtGemeente(pip));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->added, 1u);

  const Learner before = *school_->GetLearner("A1");
  ASSERT_EQ(before.route, Route::kB1);
  auto applied = Send(*gemeente_, *school_, seq);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 1u);
  const Learner shown = *school_->GetLearner("A1");
  EXPECT_EQ(shown, exports::WithPip(before, pip[0]));
  EXPECT_EQ(*school_->PipFor(shown), pip[0]);
  EXPECT_FALSE(school_->PipFor(*school_->GetLearner("F1"))->has_value());
  auto lessons = school_->LessonsByLearner();
  ASSERT_TRUE(lessons.ok());
  for (const LearnerLessons& ll : *lessons) {
    if (ll.learner.id == "A1") {
      EXPECT_EQ(ll.learner.route, Route::kZ);  // R3 takes the Z-route's norm
    }
  }

  // The school cannot edit the PIP's fields away; other fields it can, and
  // the PIP still shows.
  Learner edit = shown;
  edit.route = Route::kB1;
  EXPECT_EQ(school_->UpdateLearner(Admin(), edit).code(), StatusCode::kFailedPrecondition);
  edit = shown;
  edit.name = "Yonas T.";
  ASSERT_TRUE(school_->UpdateLearner(Admin(), edit).ok());
  EXPECT_EQ(*school_->GetLearner("A1"), edit);
  // A learner who moves to another gemeente leaves its PIP behind: no PIP
  // applies any more, and the school's values — here the ones the edit
  // carried, the last plan it knew — can be edited again.
  Learner moved = *school_->GetLearner("A1");
  moved.gemeente_code = "0344";
  ASSERT_TRUE(school_->UpdateLearner(Admin(), moved).ok());
  EXPECT_FALSE(school_->PipFor(*school_->GetLearner("A1"))->has_value());
  moved.route = Route::kB1;
  ASSERT_TRUE(school_->UpdateLearner(Admin(), moved).ok());
  EXPECT_EQ(school_->GetLearner("A1")->route, Route::kB1);
  EXPECT_TRUE(school_->VerifyAudit()->ok());
}

TEST_F(VerzuimTest, APipOfAnotherGemeentesResidentIsRefusedAndKept) {
  const std::vector<exports::GemeenteHours> hours = HoursOf0363();
  ASSERT_TRUE(school_->SubmitGemeente(Admin(), hours, {}).ok());
  ASSERT_TRUE(Send(*school_, *gemeente_, 0).ok());
  const int64_t seq = *gemeente_->LastChangeSeq();
  ASSERT_TRUE(gemeente_->SetPips(GemeenteActor(), AtGemeente(std::vector{PipOfA1()})).ok());
  Learner moved = *school_->GetLearner("A1");
  moved.gemeente_code = "0344";
  ASSERT_TRUE(school_->UpdateLearner(Admin(), moved).ok());
  auto applied = Send(*gemeente_, *school_, seq);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->refused, 1u);
  EXPECT_TRUE(school_->ListPips()->empty());
  ASSERT_EQ(school_->ListRefused()->size(), 1u);
  EXPECT_EQ(school_->ListRefused()->front().rule, own_rule::kPipOwner);
  EXPECT_EQ(*school_->GetLearner("A1"), moved);
}

// The gemeente's NAW data (docs/authorities.md, "The gemeente's NAW data"):
// like the PIP, set at its register for a learner a school sent hours of,
// received by the school, its name shown over the school's while it
// applies and the address kept only there; from anyone else refused.
exports::GemeenteNaw NawOfA1(const std::string& code = "0363") {
  exports::GemeenteNaw n;
  n.learner_id = "A1";
  n.gemeente_code = code;
  n.id = exports::GemeenteNawId(code, "A1");
  n.name = "Yonas Tesfay Gebre";
  n.address = "Kerkstraat 12 A";
  n.postcode = "1011AB";
  n.residence = "Amsterdam";
  n.decided_on = Date{2026, 12, 2};
  return n;
}

TEST_F(VerzuimTest, TheGemeentesNawNameIsShownAndItsAddressKept) {
  const std::vector<exports::GemeenteNaw> naw = {NawOfA1()};
  EXPECT_EQ(school_->SetNaws(Admin(), naw).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(gemeente_->SetNaws(GemeenteActor(), AtGemeente(naw)).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(school_->SubmitGemeente(Admin(), HoursOf0363(), {}).ok());
  ASSERT_TRUE(Send(*school_, *gemeente_, 0).ok());
  const int64_t seq = *gemeente_->LastChangeSeq();
  ASSERT_TRUE(gemeente_->SetNaws(GemeenteActor(), AtGemeente(naw)).ok());

  const Learner before = *school_->GetLearner("A1");
  auto applied = Send(*gemeente_, *school_, seq);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 1u);
  const Learner shown = *school_->GetLearner("A1");
  EXPECT_EQ(shown.name, "Yonas Tesfay Gebre");
  EXPECT_EQ(shown, exports::WithNaw(before, naw[0]));
  EXPECT_EQ(*school_->NawFor(shown), naw[0]);
  EXPECT_FALSE(school_->NawFor(*school_->GetLearner("F1"))->has_value());

  // The school cannot edit the name away; other fields it can.
  Learner edit = shown;
  edit.name = "Y. Tesfay";
  EXPECT_EQ(school_->UpdateLearner(Admin(), edit).code(), StatusCode::kFailedPrecondition);
  edit = shown;
  edit.lessons_per_week = 4;
  ASSERT_TRUE(school_->UpdateLearner(Admin(), edit).ok());
  EXPECT_EQ(*school_->GetLearner("A1"), edit);

  // A change of address is a new version, shown at once.
  exports::GemeenteNaw moved = naw[0];
  moved.address = "Dorpsstraat 3";
  moved.postcode = "1012CD";
  const int64_t seq2 = *gemeente_->LastChangeSeq();
  ASSERT_TRUE(gemeente_->SetNaws(GemeenteActor(), AtGemeente(std::vector{moved})).ok());
  ASSERT_TRUE(Send(*gemeente_, *school_, seq2).ok());
  EXPECT_EQ((*school_->NawFor(shown))->address, "Dorpsstraat 3");
  EXPECT_TRUE(school_->VerifyAudit()->ok());

  // From anyone but the gemeente, refused and kept.
  auto versions = VersionsAfter(*gemeente_, seq2);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 1u);
  VersionedRecord forged = versions->front();
  forged.stamp.writer.role = Role::kDuo;
  forged.stamp.vv = VersionVector();
  forged.stamp.vv.Set(forged.stamp.writer.replica, 99);
  auto refused = school_->ApplyRemote(gemeente_->info().replica_id, std::vector{forged}, {});
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->refused, 1u);
  EXPECT_EQ(school_->ListRefused()->back().rule, own_rule::kNawOwner);
}

// A gemeente's register is bound to the CBS code it is first served as.
TEST_F(VerzuimTest, AGemeentesRegisterKeepsTheCodeItServes) {
  EXPECT_EQ(gemeente_->info().gemeente_code, "");
  ASSERT_TRUE(gemeente_->SetGemeenteCode(GemeenteActor(), "0363").ok());
  EXPECT_TRUE(gemeente_->SetGemeenteCode(GemeenteActor(), "0363").ok());
  EXPECT_EQ(gemeente_->SetGemeenteCode(GemeenteActor(), "0518").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(gemeente_->SetGemeenteCode(GemeenteActor(), "363").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(school_->SetGemeenteCode(Admin(), "0363").code(), StatusCode::kPermissionDenied);
  gemeente_.reset();
  auto reopened = Store::Open(PathOf("gemeente.db"), Options());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->info().gemeente_code, "0363");
  EXPECT_TRUE((*reopened)->VerifyAudit()->ok());
}

}  // namespace verzuim_test
}  // namespace presentie::storage
