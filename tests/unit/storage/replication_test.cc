// Replication (store.h, "Replication"): versions received from other
// replicas and the sibling rule, the shown value, the clock, cursors, the
// outbox, idempotency records, remotes, and the canonical dump — with a
// property that replicas exchanging versions in any order converge.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "core/classification.h"
#include "core/ids.h"
#include "core/merge.h"
#include "storage/versioned.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace replication_test {

// Apply options whose pull cursor is negative.
Store::ApplyOptions NegativeCursor() {
  Store::ApplyOptions options;
  options.pull_cursor = -1;
  return options;
}

using testing::Absent;
using testing::Admin;
using testing::Populate;
using testing::Present;
using testing::RawInt;
using testing::SampleCourse;
using testing::SampleLearner;
using testing::SampleLesson;
using testing::StorageTest;
using testing::Teacher;
using testing::VersionsAfter;

class ReplicationTest : public StorageTest {
 protected:
  // A new register at PathOf(name); by default on the fixture's clock.
  std::unique_ptr<Store> NewRegister(const std::string& name,
                                     std::optional<StoreOptions> options = std::nullopt) {
    auto store =
        Store::Create(PathOf(name), InitOptions{"Taalschool De Brug", "25AB", Role::kAdmin},
                      options.has_value() ? *options : Options());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
};

// Sends every version of `from` after `after_seq` to `to`, as a sync would.
Result<Store::ApplyResult> Send(Store& from, Store& to, int64_t after_seq = 0,
                                const Store::ApplyOptions& options = {}) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<VersionedRecord> versions, VersionsAfter(from, after_seq));
  return to.ApplyRemote(from.info().replica_id, versions, options);
}

std::string DumpOf(Store& store) {
  auto dump = store.CanonicalDump();
  return dump.ok() ? *dump : "error: " + dump.status().ToString();
}

// The live versions of one record, in change-log order.
std::vector<Change> LiveSiblings(Store& store, std::string_view record_id) {
  std::vector<Change> out;
  const std::vector<Change> changes = store.ChangesAfter(0, 1'000'000).value();
  for (const Change& c : changes) {
    if (c.live && c.record_id == record_id) out.push_back(c);
  }
  return out;
}

Attendance Partial(const std::string& lesson_id, const std::string& learner_id, int minutes) {
  Attendance a = Present(lesson_id, learner_id);
  a.status = AttendanceStatus::kPartial;
  a.minutes_present = minutes;
  return a;
}

// A version written by `replica` as its first event on the record.
VersionedRecord FirstVersionBy(const std::string& replica, uint64_t wall_ms, Attendance a) {
  VersionedRecord v;
  v.stamp.vv.Set(replica, 1);
  v.stamp.hlc = Hlc{wall_ms, 0};
  v.stamp.writer = Writer{replica, Role::kTeacher, "t" + replica.substr(0, 2)};
  a.id = AttendanceId(a.lesson_id, a.learner_id);
  v.record = std::move(a);
  return v;
}

TEST_F(ReplicationTest, AReplicaThatAppliesAnothersChangesHasTheSameDump) {
  auto a = NewRegister("a.db");
  auto b = NewRegister("b.db");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Populate(*a, 3, 2);
  ASSERT_TRUE(
      a->RecordAttendance(
           Admin(), std::vector{Present("L1", "S1"), Absent("L1", "S2"), Present("L1", "S3")}, "")
          .ok());
  now_ms_ += 1000;
  ASSERT_TRUE(a->RecordAttendance(Teacher(), std::vector{Partial("L1", "S2", 30)}, "").ok());
  const int64_t a_last = *a->LastChangeSeq();
  const auto n = static_cast<uint32_t>(a_last);

  auto applied = Send(*a, *b);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, (Store::ApplyResult{n, 0, 0}));
  EXPECT_EQ(DumpOf(*b), DumpOf(*a));
  EXPECT_EQ(*b->ListLearners(), *a->ListLearners());
  EXPECT_EQ(*b->ListCourses(), *a->ListCourses());
  EXPECT_EQ(*b->ListLessons(std::nullopt), *a->ListLessons(std::nullopt));
  EXPECT_EQ(*b->ListEnrollments("C1"), *a->ListEnrollments("C1"));
  EXPECT_EQ(*b->ListAttendance("L1"), *a->ListAttendance("L1"));
  EXPECT_EQ(*b->GetStamp(RecordKind::kAttendance, "L1/S2"),
            *a->GetStamp(RecordKind::kAttendance, "L1/S2"));
  EXPECT_EQ(b->ListAttendance("L1")->at(1).minutes_present, 30);

  // The dump: every record with its one live sibling and its shown value;
  // nothing of either register's own identity or sequence.
  const std::string dump = DumpOf(*a);
  EXPECT_EQ(dump.rfind("presentie canonical dump 3\n", 0), 0u);
  EXPECT_NE(dump.find("attendance L1/S2\n  sibling "), std::string::npos) << dump;
  EXPECT_NE(dump.find("attendance: 3 records, 3 typed rows\n"), std::string::npos) << dump;
  EXPECT_NE(dump.find("a1|partial|30|"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("a1|absent|0|"), std::string::npos);  // the dominated version
  EXPECT_EQ(dump.find(b->info().replica_id), std::string::npos);

  // Where each version came from.
  const std::vector<Change> b_changes = *b->ChangesAfter(0, 1000);
  const std::vector<Change> a_changes = *a->ChangesAfter(0, 1000);
  for (const Change& c : b_changes) EXPECT_EQ(c.received_from, a->info().replica_id);
  for (const Change& c : a_changes) EXPECT_EQ(c.received_from, "");
  // The dominated S2 version arrived as well, and is not live here either.
  EXPECT_EQ(LiveSiblings(*b, "L1/S2").size(), 1u);
  EXPECT_EQ(RawInt(PathOf("b.db"), "SELECT count(*) FROM versions WHERE record_id = 'L1/S2'"), 2);

  // One audit entry for the whole call, naming the source and the counts
  // but no personal data; the chain verifies with the received rows.
  auto entries = *b->AuditEntries(0, 100);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].action, "sync.apply");
  EXPECT_EQ(entries[1].first_change, 1);
  EXPECT_EQ(entries[1].last_change, a_last);
  EXPECT_EQ(entries[1].actor.replica, b->info().replica_id);
  const std::string& summary = entries[1].summary;
  EXPECT_NE(summary.find(a->info().replica_id), std::string::npos) << summary;
  EXPECT_NE(summary.find(std::to_string(n) + " accepted, 0 duplicate, 0 dominated"),
            std::string::npos)
      << summary;
  const std::vector<Learner> learners = *a->ListLearners();
  for (const Learner& l : learners) {
    EXPECT_EQ(summary.find(l.name), std::string::npos);
    EXPECT_EQ(summary.find(l.bsn), std::string::npos);
  }
  auto report = b->VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front().kind;
  EXPECT_EQ(report->changes_checked, a_last);

  // Sent again: all duplicates, and nothing changes.
  applied = Send(*a, *b);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, (Store::ApplyResult{0, n, 0}));
  EXPECT_EQ(*b->LastChangeSeq(), a_last);
  EXPECT_EQ(DumpOf(*b), dump);
  // And back: A holds every one of them.
  applied = Send(*b, *a);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, (Store::ApplyResult{0, n, 0}));
  EXPECT_EQ(*a->LastChangeSeq(), a_last);
}

TEST_F(ReplicationTest, ConcurrentEditsBecomeSiblingsUntilALocalEditDominatesThem) {
  auto a = NewRegister("a.db");
  auto b = NewRegister("b.db");
  Populate(*a, 2, 1);
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  ASSERT_TRUE(Send(*a, *b).ok());

  // Offline, both change the same attendance; B's edit is the later one.
  now_ms_ += 1000;
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  now_ms_ += 1000;
  ASSERT_TRUE(b->RecordAttendance(Teacher(), std::vector{Partial("L1", "S1", 45)}, "").ok());

  auto to_b = Send(*a, *b);
  ASSERT_TRUE(to_b.ok()) << to_b.status().ToString();
  EXPECT_EQ(to_b->accepted, 1u);
  auto to_a = Send(*b, *a);
  ASSERT_TRUE(to_a.ok()) << to_a.status().ToString();
  EXPECT_EQ(to_a->accepted, 1u);

  const std::vector<Change> siblings = LiveSiblings(*a, "L1/S1");
  ASSERT_EQ(siblings.size(), 2u);
  EXPECT_EQ(siblings[0].stamp.vv.Compare(siblings[1].stamp.vv), Ordering::kConcurrent);
  EXPECT_EQ(LiveSiblings(*b, "L1/S1").size(), 2u);
  EXPECT_EQ(DumpOf(*a), DumpOf(*b));
  VersionVector merged = siblings[0].stamp.vv;
  merged.Merge(siblings[1].stamp.vv);
  for (Store* s : {a.get(), b.get()}) {
    // The merge policy (core/merge.h) shows A's absence: an admin's facts
    // outrank a teacher's (M.authority), whatever the clocks say — B's edit
    // is the later one. The row's vv is the merge of both siblings', and the
    // disagreement on presence is an open conflict.
    auto shown = s->ListAttendance("L1");
    ASSERT_TRUE(shown.ok());
    ASSERT_EQ(shown->size(), 1u);
    EXPECT_EQ(shown->at(0).status, AttendanceStatus::kAbsent);
    EXPECT_EQ(shown->at(0).minutes_present, 0);
    auto stamp = s->GetStamp(RecordKind::kAttendance, "L1/S1");
    ASSERT_TRUE(stamp.ok());
    EXPECT_EQ(stamp->vv, merged);
    EXPECT_EQ(stamp->writer.replica, a->info().replica_id);
    EXPECT_EQ(stamp->writer.role, Role::kAdmin);
    auto conflicts = s->ListConflicts(false);
    ASSERT_TRUE(conflicts.ok()) << conflicts.status().ToString();
    ASSERT_EQ(conflicts->size(), 1u);
    EXPECT_EQ(conflicts->at(0).record_id, "L1/S1");
    EXPECT_NE(conflicts->at(0).kinds & kConflictPresence, 0u);
    EXPECT_EQ(conflicts->at(0).facts_rule, merge_rule::kAuthority);
    EXPECT_EQ(conflicts->at(0).siblings.size(), 2u);
  }
  EXPECT_EQ(a->ListConflicts(false)->at(0).id, b->ListConflicts(false)->at(0).id);

  // A local edit on A dominates both siblings; after the exchange both
  // registers hold it alone.
  now_ms_ += 1000;
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  const std::vector<Change> after_edit = LiveSiblings(*a, "L1/S1");
  ASSERT_EQ(after_edit.size(), 1u);
  for (const Change& old : siblings) {
    EXPECT_EQ(after_edit[0].stamp.vv.Compare(old.stamp.vv), Ordering::kDominates);
  }
  auto back = Send(*a, *b);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->accepted, 1u);
  EXPECT_EQ(back->dominated, 0u);
  EXPECT_EQ(LiveSiblings(*b, "L1/S1").size(), 1u);
  EXPECT_EQ(DumpOf(*a), DumpOf(*b));
  EXPECT_EQ(*b->ListAttendance("L1"), *a->ListAttendance("L1"));
  EXPECT_EQ(b->ListAttendance("L1")->at(0).status, AttendanceStatus::kPresent);
  EXPECT_EQ(b->GetStamp(RecordKind::kAttendance, "L1/S1")->vv, after_edit[0].stamp.vv);
  // The edit closed the conflict on both.
  EXPECT_TRUE(a->ListConflicts(false)->empty());
  EXPECT_TRUE(b->ListConflicts(false)->empty());
  ASSERT_EQ(b->ListConflicts(true)->size(), 1u);
  EXPECT_FALSE(b->ListConflicts(true)->at(0).open);
}

TEST_F(ReplicationTest, TheShownValueIsTheMergeOfTheSiblingsNotTheLatestClock) {
  auto a = NewRegister("a.db");
  Populate(*a, 1, 1);
  const std::string r1 = "1111111111111111";
  const std::string r2 = "2222222222222222";
  const std::string r3 = "3333333333333333";
  const uint64_t t = now_ms_;
  // Two teachers, same HLC: present against absent. The learner gets the
  // benefit of the doubt (docs/rules.md): present is shown, and the presence is
  // disputed in an open conflict.
  const std::vector<VersionedRecord> tie{FirstVersionBy(r2, t, Present("L1", "S1")),
                                         FirstVersionBy(r3, t, Absent("L1", "S1"))};
  auto applied = a->ApplyRemote(r2, tie, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, (Store::ApplyResult{2, 0, 0}));
  EXPECT_EQ(a->ListAttendance("L1")->at(0).status, AttendanceStatus::kPresent);
  EXPECT_EQ(a->GetStamp(RecordKind::kAttendance, "L1/S1")->writer.replica, r2);
  // r1's later partial changes nothing shown: time does not decide.
  applied = a->ApplyRemote(r1, std::vector{FirstVersionBy(r1, t + 1, Partial("L1", "S1", 60))}, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(a->ListAttendance("L1")->at(0).status, AttendanceStatus::kPresent);
  auto stamp = a->GetStamp(RecordKind::kAttendance, "L1/S1");
  ASSERT_TRUE(stamp.ok());
  EXPECT_EQ(stamp->vv.Encode(), r1 + ":1," + r2 + ":1," + r3 + ":1");
  EXPECT_EQ(stamp->hlc, (Hlc{t, 0}));
  EXPECT_EQ(stamp->writer.replica, r2);
  EXPECT_EQ(LiveSiblings(*a, "L1/S1").size(), 3u);
  auto explained = a->GetAttendanceState("L1/S1");
  ASSERT_TRUE(explained.ok()) << explained.status().ToString();
  EXPECT_EQ(explained->facts_rule, rule::kBenefitOfDoubt);
  EXPECT_EQ(explained->siblings.size(), 3u);
  EXPECT_FALSE(explained->conflict_id.empty());

  // A register that receives everything in reverse order (attendance before
  // its lesson and learner) holds and shows the same.
  auto b = NewRegister("b.db");
  std::vector<VersionedRecord> reversed = *VersionsAfter(*a, 0);
  std::reverse(reversed.begin(), reversed.end());
  applied = b->ApplyRemote(a->info().replica_id, reversed, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, reversed.size());
  EXPECT_EQ(DumpOf(*b), DumpOf(*a));
  EXPECT_EQ(*b->ListAttendance("L1"), *a->ListAttendance("L1"));

  // A local edit dominates all three siblings.
  ASSERT_TRUE(b->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  const std::vector<Change> live = LiveSiblings(*b, "L1/S1");
  ASSERT_EQ(live.size(), 1u);
  for (const VersionedRecord& v : tie) {
    EXPECT_EQ(live[0].stamp.vv.Compare(v.stamp.vv), Ordering::kDominates);
  }
  EXPECT_EQ(live[0].stamp.vv.Get(r1), 1u);
  EXPECT_EQ(live[0].stamp.vv.Get(b->info().replica_id), 1u);
  applied = Send(*b, *a);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->accepted, 1u);
  EXPECT_EQ(LiveSiblings(*a, "L1/S1").size(), 1u);
  EXPECT_EQ(DumpOf(*b), DumpOf(*a));
}

TEST_F(ReplicationTest, ADominatedVersionArrivingLateIsCountedAndNotKept) {
  auto a = NewRegister("a.db");
  auto b = NewRegister("b.db");
  Populate(*a, 1, 1);
  const int64_t base = *a->LastChangeSeq();
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  now_ms_ += 1000;
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  const std::vector<VersionedRecord> edits = *VersionsAfter(*a, base);
  ASSERT_EQ(edits.size(), 2u);

  // B gets everything in order; C gets the later version first.
  ASSERT_TRUE(Send(*a, *b).ok());
  auto c = NewRegister("c.db");
  std::vector<VersionedRecord> first_part = *VersionsAfter(*a, 0);
  first_part.erase(first_part.begin() + base);  // without the first attendance version
  auto applied = c->ApplyRemote(a->info().replica_id, first_part, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  const int64_t c_last = *c->LastChangeSeq();

  applied = c->ApplyRemote(a->info().replica_id, std::vector{edits[0]}, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, (Store::ApplyResult{0, 0, 1}));
  EXPECT_EQ(*c->LastChangeSeq(), c_last);  // not stored at all
  EXPECT_EQ(RawInt(PathOf("c.db"), "SELECT count(*) FROM versions WHERE record_id = 'L1/S1'"), 1);
  EXPECT_EQ(c->ListAttendance("L1")->at(0).status, AttendanceStatus::kAbsent);
  // Still dominated the next time (it was never stored); the later one is a
  // duplicate.
  applied = c->ApplyRemote(a->info().replica_id, std::vector{edits[0], edits[1]}, {});
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, (Store::ApplyResult{0, 1, 1}));
  // The dump does not depend on which versions were dominated on arrival.
  EXPECT_EQ(DumpOf(*c), DumpOf(*a));
  EXPECT_EQ(DumpOf(*c), DumpOf(*b));
}

// One batch that carries several versions of the same attendance, for a
// lesson this register holds none of (what a new device's first pull is
// made of; ApplyRemote skips the per-version lookup there): each later
// version still meets the ones the batch appended before it.
TEST_F(ReplicationTest, VersionsOfOneRecordInOneBatchMeetEachOtherInANewLesson) {
  auto a = NewRegister("a.db");
  Populate(*a, 2, 2);
  const std::string r1 = "1111111111111111";
  const std::string r2 = "2222222222222222";
  const uint64_t t = now_ms_;
  const VersionedRecord first = FirstVersionBy(r1, t, Present("L2", "S1"));
  VersionedRecord edit = FirstVersionBy(r1, t + 1, Absent("L2", "S1"));
  edit.stamp.vv.Set(r1, 2);  // r1's second event: dominates `first`
  const VersionedRecord other = FirstVersionBy(r2, t + 2, Partial("L2", "S1", 30));
  const VersionedRecord neighbour = FirstVersionBy(r1, t, Present("L2", "S2"));
  const std::vector<VersionedRecord> batch{first, neighbour, edit, first, other, edit};
  auto applied = a->ApplyRemote(r1, batch, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, (Store::ApplyResult{4, 2, 0}));  // the repeats are duplicates
  const std::vector<Change> live = LiveSiblings(*a, "L2/S1");
  ASSERT_EQ(live.size(), 2u);  // the edit retired `first`; `other` is concurrent with it
  EXPECT_EQ(live[0].stamp.vv, edit.stamp.vv);
  EXPECT_EQ(live[1].stamp.vv, other.stamp.vv);
  EXPECT_EQ(RawInt(PathOf("a.db"), "SELECT count(*) FROM versions WHERE record_id = 'L2/S1'"), 3);
  ASSERT_EQ(a->ListConflicts(false)->size(), 1u);

  // The same versions one batch each give the same register.
  auto held = VersionsAfter(*a, 0);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  auto b = NewRegister("b.db");
  ASSERT_TRUE(b->ApplyRemote(r1, *held, {}).ok());
  auto c = NewRegister("c.db");
  for (const VersionedRecord& v : *held) {
    ASSERT_TRUE(c->ApplyRemote(r1, std::vector{v}, {}).ok());
  }
  EXPECT_EQ(DumpOf(*b), DumpOf(*c));
  EXPECT_EQ(*b->ListAttendance("L2"), *a->ListAttendance("L2"));
  EXPECT_EQ(*c->ListAttendance("L2"), *a->ListAttendance("L2"));
}

TEST_F(ReplicationTest, RecordsReceivedBeforeTheirReferencesAreShownOnceTheyArrive) {
  auto a = NewRegister("a.db");
  auto b = NewRegister("b.db");
  Populate(*a, 2, 1);
  ASSERT_TRUE(
      a->RecordAttendance(Admin(), std::vector{Present("L1", "S1"), Absent("L1", "S2")}, "").ok());
  std::vector<VersionedRecord> attendance;
  std::vector<VersionedRecord> lessons;
  std::vector<VersionedRecord> rest;
  std::vector<VersionedRecord> all = *VersionsAfter(*a, 0);
  for (VersionedRecord& v : all) {
    switch (KindOf(v.record)) {
      case RecordKind::kAttendance:
        attendance.push_back(std::move(v));
        break;
      case RecordKind::kLesson:
        lessons.push_back(std::move(v));
        break;
      default:
        rest.push_back(std::move(v));
    }
  }
  const std::string source = a->info().replica_id;
  // Attendance without its lesson or learners: kept (validated without the
  // lesson's duration), not listed anywhere yet.
  auto applied = b->ApplyRemote(source, attendance, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 2u);
  EXPECT_EQ(b->GetLesson("L1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(b->ListAttendance("L1").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(b->LessonsByLearner()->empty());
  EXPECT_TRUE(b->GetStamp(RecordKind::kAttendance, "L1/S1").ok());

  // The lesson, without its course and learners: not listed either.
  ASSERT_TRUE(b->ApplyRemote(source, lessons, {}).ok());
  EXPECT_TRUE(b->ListLessons(std::nullopt)->empty());
  EXPECT_TRUE(b->ListAttendance("L1")->empty());

  // The rest arrives: everything is shown as on A.
  ASSERT_TRUE(b->ApplyRemote(source, rest, {}).ok());
  EXPECT_EQ(*b->ListLessons(std::nullopt), *a->ListLessons(std::nullopt));
  EXPECT_EQ(*b->ListAttendance("L1"), *a->ListAttendance("L1"));
  EXPECT_EQ(*b->ListEnrollments("C1"), *a->ListEnrollments("C1"));
  ASSERT_EQ(b->LessonsByLearner()->size(), 2u);
  EXPECT_EQ(b->LessonsByLearner()->at(0).lines.size(), 1u);
  EXPECT_TRUE(b->LessonsByLearner()->at(0).lines.at(0).attendance.has_value());
  EXPECT_EQ(DumpOf(*b), DumpOf(*a));
  // And B can edit what arrived out of order.
  ASSERT_TRUE(b->RecordAttendance(Admin(), std::vector{Present("L1", "S2")}, "").ok());
  EXPECT_EQ(LiveSiblings(*b, "L1/S2").size(), 1u);
}

TEST_F(ReplicationTest, AnInvalidVersionRejectsTheWholeBatchAndLeavesCursorAndDataAlone) {
  auto a = NewRegister("a.db");
  auto b = NewRegister("b.db");
  Populate(*a, 2, 1);
  ASSERT_TRUE(
      a->RecordAttendance(Admin(), std::vector{Absent("L1", "S1"), Present("L1", "S2")}, "").ok());
  const std::string source = a->info().replica_id;
  Store::ApplyOptions at5;
  at5.pull_cursor = 5;
  ASSERT_TRUE(Send(*a, *b, 0, at5).ok());
  ASSERT_EQ(b->GetCursor(source)->pulled, 5);
  const int64_t a_sent = *a->LastChangeSeq();
  now_ms_ += 1000;
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());

  const std::string dump = DumpOf(*b);
  const int64_t last = *b->LastChangeSeq();
  const size_t audit = b->AuditEntries(0, 1000)->size();
  auto unchanged = [&] {
    EXPECT_EQ(DumpOf(*b), dump);
    EXPECT_EQ(*b->LastChangeSeq(), last);
    EXPECT_EQ(b->AuditEntries(0, 1000)->size(), audit);
    EXPECT_EQ(b->GetCursor(source)->pulled, 5);
    EXPECT_EQ(b->GetCursor(source)->pushed, last);
  };
  Store::ApplyOptions at9;
  at9.pull_cursor = 9;
  const std::vector<VersionedRecord> valid = *VersionsAfter(*a, a_sent);
  ASSERT_EQ(valid.size(), 1u);

  // A valid new version, then an invalid one: more minutes than the lesson.
  {
    std::vector<VersionedRecord> batch = valid;
    VersionedRecord bad = *VersionsAfter(*a, a_sent - 1)->begin();  // L1/S2
    ASSERT_EQ(RecordIdOf(bad.record), "L1/S2");
    std::get<Attendance>(bad.record).minutes_present = 999;
    batch.push_back(bad);
    auto applied = b->ApplyRemote(source, batch, at9);
    ASSERT_EQ(applied.status().code(), StatusCode::kInvalidArgument);
    const std::string& message = applied.status().message();
    EXPECT_NE(message.find("L1/S2"), std::string::npos) << message;
    EXPECT_NE(message.find(source), std::string::npos) << message;
    unchanged();
  }
  // A learner whose BSN fails the elfproef: the message names the learner,
  // never the BSN or the name.
  {
    Learner learner = SampleLearner("S9", 9);
    learner.bsn = "123456789";
    learner.name = "Fatima El Amrani";
    VersionedRecord v = valid[0];
    v.record = learner;
    std::vector<VersionedRecord> batch = valid;
    batch.push_back(v);
    auto applied = b->ApplyRemote(source, batch, at9);
    ASSERT_EQ(applied.status().code(), StatusCode::kInvalidArgument);
    const std::string& message = applied.status().message();
    EXPECT_NE(message.find("'S9'"), std::string::npos) << message;
    EXPECT_EQ(message.find("123456789"), std::string::npos) << message;
    EXPECT_EQ(message.find("Fatima"), std::string::npos) << message;
    unchanged();
  }
  // An absence note is not echoed either.
  {
    VersionedRecord v = valid[0];
    Attendance& att = std::get<Attendance>(v.record);
    att.status = AttendanceStatus::kPresent;
    att.note = "kind was ziek, zegt moeder";
    att.minutes_present = 120;
    att.notified_in_advance = true;  // invalid with a full presence
    auto applied = b->ApplyRemote(source, std::vector{v}, at9);
    ASSERT_EQ(applied.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(applied.status().message().find("ziek"), std::string::npos);
    unchanged();
  }
  // Stamps that no writer makes.
  {
    VersionedRecord v = valid[0];
    v.stamp.vv = VersionVector();
    v.stamp.vv.Set("0123456789abcdef", 3);  // no entry for the writer
    EXPECT_EQ(b->ApplyRemote(source, std::vector{v}, at9).status().code(),
              StatusCode::kInvalidArgument);
    v = valid[0];
    v.stamp.writer.replica = "not-a-replica";
    EXPECT_EQ(b->ApplyRemote(source, std::vector{v}, at9).status().code(),
              StatusCode::kInvalidArgument);
    unchanged();
  }
  // An enrolment whose id is not its course and learner.
  {
    Enrollment e{"C1/S2", "C1", "S1", true};
    VersionedRecord v = valid[0];
    v.record = e;
    EXPECT_EQ(b->ApplyRemote(source, std::vector{v}, at9).status().code(),
              StatusCode::kInvalidArgument);
    unchanged();
  }
  // A source that is not a replica id, or is this register itself.
  EXPECT_EQ(b->ApplyRemote("hub", valid, at9).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(b->ApplyRemote(b->info().replica_id, valid, at9).status().code(),
            StatusCode::kInvalidArgument);
  unchanged();

  // The valid version alone is applied, with its cursor.
  auto applied = b->ApplyRemote(source, valid, at9);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 1u);
  EXPECT_EQ(b->GetCursor(source)->pulled, 9);
  // b wrote nothing itself: what it pulled needs no pushing back.
  EXPECT_EQ(b->GetCursor(source)->pushed, *b->LastChangeSeq());
  EXPECT_EQ(DumpOf(*b), DumpOf(*a));
}

TEST_F(ReplicationTest, TheIdempotencyRecordIsStoredWithTheBatchAndItsComputedCounts) {
  auto a = NewRegister("a.db");
  auto server = NewRegister("server.db");
  Populate(*a, 2, 1);
  EXPECT_FALSE(server->GetIdempotency("push-1")->has_value());

  Store::ApplyOptions options;
  options.idempotency = Store::IdempotencyRecord{"push-1", std::string(64, 'a'), {99, 99, 99}, 7};
  auto applied = Send(*a, *server, 0, options);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  auto stored = server->GetIdempotency("push-1");
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->id, "push-1");
  EXPECT_EQ((*stored)->request_hash, std::string(64, 'a'));
  EXPECT_EQ((*stored)->result, *applied);  // this call's counts, not the caller's
  EXPECT_EQ((*stored)->acknowledged_seq, 7);
  EXPECT_FALSE(server->GetIdempotency("push-2")->has_value());
  // No pull cursor was asked for.
  EXPECT_EQ(server->GetCursor(a->info().replica_id)->pulled, 0);

  // The same id again is refused, and the batch is not applied a second time.
  const int64_t last = *server->LastChangeSeq();
  const size_t audit = server->AuditEntries(0, 1000)->size();
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  EXPECT_EQ(Send(*a, *server, 0, options).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*server->LastChangeSeq(), last);
  EXPECT_EQ(server->AuditEntries(0, 1000)->size(), audit);
  EXPECT_EQ((*server->GetIdempotency("push-1"))->result, *applied);

  // Durable.
  server.reset();
  auto reopened = Store::Open(PathOf("server.db"), Options());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*(*reopened)->GetIdempotency("push-1"))->acknowledged_seq, 7);
}

TEST_F(ReplicationTest, StoredPushAnswersAreForgottenByAge) {
  auto server = NewRegister("server.db");
  const std::string source = "00112233445566aa";
  auto store_answer = [&](const std::string& id) {
    Store::ApplyOptions options;
    options.idempotency = Store::IdempotencyRecord{id, std::string(64, 'a'), {}, 1};
    ASSERT_TRUE(server->ApplyRemote(source, {}, options).ok());
  };
  const uint64_t first = now_ms_;
  store_answer("push-1");
  now_ms_ += 1000;
  store_answer("push-2");

  EXPECT_EQ(*server->ForgetIdempotencyBefore(first), 0);  // strictly before
  EXPECT_EQ(*server->ForgetIdempotencyBefore(first + 500), 1);
  EXPECT_FALSE(server->GetIdempotency("push-1")->has_value());
  EXPECT_TRUE(server->GetIdempotency("push-2")->has_value());
  EXPECT_EQ(*server->ForgetIdempotencyBefore(first + 500), 0);
  EXPECT_EQ(*server->ForgetIdempotencyBefore(~uint64_t{0}), 1);
  EXPECT_FALSE(server->GetIdempotency("push-2")->has_value());
}

TEST_F(ReplicationTest, TheOutboxHoldsOneBatchPerRemoteUntilItIsAcknowledged) {
  auto store = NewRegister("a.db");
  const std::string hub = "00112233445566aa";
  const std::string other = "00112233445566bb";
  EXPECT_FALSE(store->GetPendingBatch(hub)->has_value());
  EXPECT_EQ(store->GetCursor(hub)->pushed, 0);

  ASSERT_TRUE(store->PutPendingBatch(hub, {"id-1", 1, 10}).ok());
  EXPECT_EQ(store->PutPendingBatch(hub, {"id-2", 11, 20}).code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(store->PutPendingBatch(other, {"id-x", 1, 3}).ok());
  auto pending = store->GetPendingBatch(hub);
  ASSERT_TRUE(pending.ok() && pending->has_value());
  EXPECT_EQ((*pending)->idempotency_id, "id-1");
  EXPECT_EQ((*pending)->first_seq, 1);
  EXPECT_EQ((*pending)->last_seq, 10);

  // Survives a restart.
  store.reset();
  auto reopened = Store::Open(PathOf("a.db"), Options());
  ASSERT_TRUE(reopened.ok());
  store = std::move(reopened).value();
  EXPECT_EQ((*store->GetPendingBatch(hub))->idempotency_id, "id-1");

  // A wrong id acknowledges nothing.
  EXPECT_EQ(store->AcknowledgeBatch(hub, "id-2").code(), StatusCode::kNotFound);
  EXPECT_TRUE(store->GetPendingBatch(hub)->has_value());
  EXPECT_EQ(store->GetCursor(hub)->pushed, 0);

  ASSERT_TRUE(store->AcknowledgeBatch(hub, "id-1").ok());
  EXPECT_FALSE(store->GetPendingBatch(hub)->has_value());
  EXPECT_EQ(store->GetCursor(hub)->pushed, 10);
  EXPECT_EQ(store->GetCursor(hub)->pulled, 0);
  EXPECT_EQ(store->AcknowledgeBatch(hub, "id-1").code(), StatusCode::kNotFound);
  // The other remote's batch is its own.
  EXPECT_EQ((*store->GetPendingBatch(other))->idempotency_id, "id-x");
  EXPECT_EQ(store->GetCursor(other)->pushed, 0);

  // The next batch; the pull cursor is kept when the push cursor moves.
  ASSERT_TRUE(store->PutPendingBatch(hub, {"id-2", 11, 20}).ok());
  ASSERT_TRUE(store->AcknowledgeBatch(hub, "id-2").ok());
  EXPECT_EQ(store->GetCursor(hub)->pushed, 20);

  EXPECT_EQ(store->PutPendingBatch("hub", {"id-3", 1, 2}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->PutPendingBatch(hub, {"", 1, 2}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->PutPendingBatch(hub, {"id-3", 5, 4}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->PutPendingBatch(hub, {"id-3", 0, 4}).code(), StatusCode::kInvalidArgument);
}

TEST_F(ReplicationTest, ADroppedBatchLeavesThePushedCursorSoItsRangeIsSentAgain) {
  auto store = NewRegister("a.db");
  const std::string hub = "00112233445566aa";
  ASSERT_TRUE(store->PutPendingBatch(hub, {"id-1", 1, 10}).ok());
  ASSERT_TRUE(store->AcknowledgeBatch(hub, "id-1").ok());
  ASSERT_TRUE(store->PutPendingBatch(hub, {"id-2", 11, 20}).ok());

  EXPECT_EQ(store->DropPendingBatch(hub, "id-1").code(), StatusCode::kNotFound);
  EXPECT_EQ((*store->GetPendingBatch(hub))->idempotency_id, "id-2");
  ASSERT_TRUE(store->DropPendingBatch(hub, "id-2").ok());
  EXPECT_FALSE(store->GetPendingBatch(hub)->has_value());
  EXPECT_EQ(store->GetCursor(hub)->pushed, 10);  // not 20: 11..20 goes out again
  EXPECT_EQ(store->DropPendingBatch(hub, "id-2").code(), StatusCode::kNotFound);
  // The range can be stored again, split.
  ASSERT_TRUE(store->PutPendingBatch(hub, {"id-3", 11, 15}).ok());
  ASSERT_TRUE(store->AcknowledgeBatch(hub, "id-3").ok());
  EXPECT_EQ(store->GetCursor(hub)->pushed, 15);
}

TEST_F(ReplicationTest, CursorsBelongToTheRemoteReplicaAndMoveIndependently) {
  auto a = NewRegister("a.db");
  auto b = NewRegister("b.db");
  Populate(*a, 1, 1);
  const std::string source = a->info().replica_id;
  ASSERT_TRUE(b->PutPendingBatch(source, {"p", 1, 4}).ok());
  ASSERT_TRUE(b->AcknowledgeBatch(source, "p").ok());
  Store::ApplyOptions options;
  options.pull_cursor = 6;
  ASSERT_TRUE(Send(*a, *b, 0, options).ok());
  EXPECT_EQ(b->GetCursor(source)->pulled, 6);
  EXPECT_EQ(b->GetCursor(source)->pushed, 4);
  // An empty page that moves the cursor.
  options.pull_cursor = 8;
  auto applied = b->ApplyRemote(source, {}, options);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, (Store::ApplyResult{0, 0, 0}));
  EXPECT_EQ(b->GetCursor(source)->pulled, 8);
  EXPECT_EQ(b->GetCursor(source)->pushed, 4);
  EXPECT_EQ(b->GetCursor("ffffffffffffffff")->pulled, 0);
  EXPECT_EQ(b->ApplyRemote(source, {}, NegativeCursor()).status().code(),
            StatusCode::kInvalidArgument);
}

// What a first pull of a large register brings need not be pushed back: when
// everything this register wrote was acknowledged, the pull moves the pushed
// cursor over the versions it appends, in the same transaction. When
// something is still unsent, the cursor stays, so that nothing is skipped.
TEST_F(ReplicationTest, APullMovesThePushedCursorOnlyWhenNothingLocalIsUnsent) {
  auto hub = NewRegister("hub.db");
  auto device = NewRegister("device.db");
  Populate(*hub, 2, 1);
  const std::string source = hub->info().replica_id;
  const int64_t hub_last = *hub->LastChangeSeq();
  ASSERT_GT(hub_last, 0);

  Store::ApplyOptions options;
  options.pull_cursor = hub_last;
  ASSERT_TRUE(Send(*hub, *device, 0, options).ok());
  const int64_t device_last = *device->LastChangeSeq();
  EXPECT_EQ(device->GetCursor(source)->pushed, device_last);
  EXPECT_EQ(device->GetCursor(source)->pulled, hub_last);

  // A local edit, not yet pushed: the next pull leaves the pushed cursor.
  ASSERT_TRUE(device->AddCourse(Admin(), SampleCourse("C9")).ok());
  const int64_t unsent_from = device_last + 1;
  ASSERT_TRUE(hub->AddCourse(Admin(), SampleCourse("C2")).ok());
  ASSERT_TRUE(hub->AddLesson(Admin(), SampleLesson("L7", "C2", 7)).ok());
  options.pull_cursor = *hub->LastChangeSeq();
  ASSERT_TRUE(Send(*hub, *device, hub_last, options).ok());
  EXPECT_EQ(device->GetCursor(source)->pushed, device_last);
  std::vector<Change> unsent = device->ChangesAfter(device->GetCursor(source)->pushed, 1).value();
  ASSERT_EQ(unsent.size(), 1u);
  EXPECT_EQ(unsent[0].seq, unsent_from);
  EXPECT_TRUE(unsent[0].received_from.empty());

  // Applying without a pull cursor (a server receiving a push) never moves it.
  auto other = NewRegister("other.db");
  ASSERT_TRUE(Send(*hub, *other).ok());
  EXPECT_EQ(other->GetCursor(source)->pushed, 0);
}

TEST_F(ReplicationTest, RemotesAreKeptByName) {
  auto store = NewRegister("a.db");
  EXPECT_TRUE(store->ListRemotes()->empty());
  const Store::Remote hub{
      "hub", "https://hub.example.nl:8443", "/home/t/.config/presentie/hub.token", "", "", ""};
  ASSERT_TRUE(store->PutRemote(hub).ok());
  Store::Remote mtls{
      "authority.duo",         "https://gateway.example.nl", "/etc/presentie/duo.token",
      "/etc/presentie/ca.pem", "/etc/presentie/client.pem",  "/etc/presentie/client.key"};
  ASSERT_TRUE(store->PutRemote(mtls).ok());
  auto list = store->ListRemotes();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->at(0).name, "authority.duo");
  EXPECT_EQ(list->at(0).key_file, "/etc/presentie/client.key");
  EXPECT_EQ(list->at(1).url, hub.url);

  // Same name: replaced (a moved server).
  Store::Remote moved = hub;
  moved.url = "https://hub2.example.nl";
  ASSERT_TRUE(store->PutRemote(moved).ok());
  list = store->ListRemotes();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->at(1).url, "https://hub2.example.nl");

  ASSERT_TRUE(store->RemoveRemote("authority.duo").ok());
  EXPECT_EQ(store->RemoveRemote("authority.duo").code(), StatusCode::kNotFound);
  ASSERT_EQ(store->ListRemotes()->size(), 1u);

  // Refused: a bad name, credentials in the URL, relative paths, a
  // certificate without its key, no token file.
  auto refused = [&](Store::Remote r) { return store->PutRemote(r).code(); };
  Store::Remote r = hub;
  r.name = "my hub";
  EXPECT_EQ(refused(r), StatusCode::kInvalidArgument);
  r = hub;
  r.name = std::string(65, 'h');
  EXPECT_EQ(refused(r), StatusCode::kInvalidArgument);
  r = hub;
  r.url = "https://admin:geheim@hub.example.nl";
  EXPECT_EQ(refused(r), StatusCode::kInvalidArgument);
  r = hub;
  r.url = "ftp://hub.example.nl";
  EXPECT_EQ(refused(r), StatusCode::kInvalidArgument);
  r = hub;
  r.token_file = "hub.token";
  EXPECT_EQ(refused(r), StatusCode::kInvalidArgument);
  r = hub;
  r.token_file = "";
  EXPECT_EQ(refused(r), StatusCode::kInvalidArgument);
  r = hub;
  r.cert_file = "/etc/presentie/client.pem";
  EXPECT_EQ(refused(r), StatusCode::kInvalidArgument);

  // Each change is in the audit log, and the chain verifies.
  auto entries = *store->AuditEntries(0, 100);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[1].action, "remote.put");
  EXPECT_EQ(entries[4].action, "remote.remove");
  EXPECT_TRUE(store->VerifyAudit()->ok());
}

TEST_F(ReplicationTest, TheClockObservesReceivedStampsWithinTheSkewLimit) {
  uint64_t a_ms = now_ms_ + 60'000;  // A's clock is a minute ahead
  StoreOptions a_options;
  a_options.clock_ms = [&a_ms] { return a_ms; };
  auto a = NewRegister("a.db", a_options);
  auto b = NewRegister("b.db");
  Populate(*a, 2, 1);
  ASSERT_TRUE(Send(*a, *b).ok());
  const Hlc lesson_hlc = a->GetStamp(RecordKind::kLesson, "L1")->hlc;
  ASSERT_GT(lesson_hlc.wall_ms, now_ms_);

  // B's next write is stamped after what it received, though its own wall
  // clock is behind; also after a restart (the clock is persisted).
  b.reset();
  auto reopened = Store::Open(PathOf("b.db"), Options());
  ASSERT_TRUE(reopened.ok());
  b = std::move(reopened).value();
  ASSERT_TRUE(b->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  EXPECT_GT(b->GetStamp(RecordKind::kAttendance, "L1/S1")->hlc, lesson_hlc);

  // A stamp ten minutes ahead is not adopted, and the audit entry says so.
  a_ms = now_ms_ + 600'000;
  const int64_t a_before = *a->LastChangeSeq();
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Present("L1", "S2")}, "").ok());
  const Hlc far = a->GetStamp(RecordKind::kAttendance, "L1/S2")->hlc;
  auto applied = Send(*a, *b, a_before);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->accepted, 1u);
  const std::string summary = b->AuditEntries(0, 100)->back().summary;
  EXPECT_NE(summary.find("1 stamp more than 2 minutes ahead"), std::string::npos) << summary;
  ASSERT_TRUE(b->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  EXPECT_LT(b->GetStamp(RecordKind::kAttendance, "L1/S1")->hlc, far);
}

// --- The property: replicas that exchange everything converge ------------

Attendance RandomAttendance(const std::string& lesson, const std::string& learner, int variant) {
  switch (variant) {
    case 0:
      return Present(lesson, learner);
    case 1:
      return Absent(lesson, learner);
    case 2:
      return Partial(lesson, learner, 30);
    default: {
      Attendance a = Partial(lesson, learner, 90);
      a.mode = Mode::kRemote;
      return a;
    }
  }
}

// 2–4 registers share a base (learners, a course, lessons), then make random
// local edits of a few overlapping attendance records and exchange random
// parts of their change logs in random order, with duplicates. The clock
// sometimes stands still, so that stamps of different replicas tie. After a
// full exchange every register holds the same canonical dump; every version
// ever written is a live sibling or dominated by one; the live siblings are
// pairwise concurrent; and the shown value is the policy's pick.
//
// Creating a register (file, migrations, first audit entry) and giving it
// the base is most of a case's cost, so four such registers are made once per
// process and each case works on copies; in /dev/shm when there is one, as
// every commit syncs (synchronous=FULL) and a shared disk makes a hundred
// cases take a minute instead of seconds.
constexpr int kMaxReplicas = 4;
constexpr uint64_t kBaseClockMs = 1'790'000'000'000;  // the fixture's starting clock

std::filesystem::path ScratchDir() {
  std::error_code error;
  std::string pattern =
      std::filesystem::is_directory("/dev/shm", error)
          ? "/dev/shm/presentie-storage-XXXXXX"
          : (std::filesystem::temp_directory_path() / "presentie-storage-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

class BaseRegisters {
 public:
  // Empty when they could not be made.
  static const std::filesystem::path& Dir() {
    static const BaseRegisters base;
    return base.dir_;
  }
  ~BaseRegisters() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

 private:
  BaseRegisters() : dir_(ScratchDir()) {
    if (dir_.empty()) return;
    StoreOptions options;
    options.clock_ms = [] { return kBaseClockMs; };
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < kMaxReplicas; ++i) {
      auto store = Store::Create((dir_ / ("r" + std::to_string(i) + ".db")).string(),
                                 InitOptions{"School", "25AB", Role::kAdmin}, options);
      if (!store.ok()) {
        Fail();
        return;
      }
      stores.push_back(std::move(store).value());
    }
    Populate(*stores[0], 3, 2);
    for (int i = 1; i < kMaxReplicas; ++i) {
      if (!Send(*stores[0], *stores[i]).ok()) {
        Fail();
        return;
      }
    }
  }
  void Fail() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }

  std::filesystem::path dir_;
};

class ConvergenceTest : public StorageTest {
 public:
  // A failing case ends in an exception that skips TearDown; the fixture is
  // still destroyed.
  ~ConvergenceTest() override {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

 protected:
  void SetUp() override {
    dir_ = ScratchDir();
    ASSERT_FALSE(dir_.empty());
    path_ = PathOf("register.db");
  }
};

RC_GTEST_FIXTURE_PROP(ConvergenceTest, ReplicasThatExchangeEverythingConverge, ()) {
  const std::filesystem::path& base = BaseRegisters::Dir();
  RC_ASSERT(!base.empty());
  RC_ASSERT(now_ms_ == kBaseClockMs);
  const int n = *rc::gen::inRange(2, kMaxReplicas + 1);
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < n; ++i) {
    const std::string name = "r" + std::to_string(i) + ".db";
    std::filesystem::copy_file(base / name, PathOf(name));
    std::filesystem::copy_file(base / (name + ".key"), PathOf(name + ".key"));
    auto store = Store::Open(PathOf(name), Options());
    RC_ASSERT(store.ok());
    stores.push_back(std::move(store).value());
  }

  std::vector<VersionedRecord> written;  // every attendance version made anywhere
  const int steps = *rc::gen::inRange(1, 17);
  for (int step = 0; step < steps; ++step) {
    if (*rc::gen::arbitrary<bool>()) now_ms_ += static_cast<uint64_t>(*rc::gen::inRange(0, 3));
    if (*rc::gen::inRange(0, 5) < 3) {
      const auto i = static_cast<size_t>(*rc::gen::inRange(0, n));
      const std::string lesson = "L" + std::to_string(*rc::gen::inRange(1, 3));
      const std::string learner = "S" + std::to_string(*rc::gen::inRange(1, 3));
      const Attendance a = RandomAttendance(lesson, learner, *rc::gen::inRange(0, 4));
      const int64_t before = *stores[i]->LastChangeSeq();
      RC_ASSERT(stores[i]->RecordAttendance(Admin(), std::vector{a}, "").ok());
      auto mine = VersionsAfter(*stores[i], before);
      RC_ASSERT(mine.ok());
      RC_ASSERT(mine->size() == 1u);
      written.push_back(mine->front());
    } else {
      const auto from = static_cast<size_t>(*rc::gen::inRange(0, n));
      const auto to = static_cast<size_t>(*rc::gen::inRange(0, n));
      if (from == to) continue;
      // A part of the log (from a random seq on), some versions twice, in a
      // random order.
      const int64_t last = *stores[from]->LastChangeSeq();
      auto part = VersionsAfter(*stores[from], *rc::gen::inRange<int64_t>(0, last + 1));
      RC_ASSERT(part.ok());
      std::vector<VersionedRecord> batch = std::move(part).value();
      const int repeats = batch.empty() ? 0 : *rc::gen::inRange(0, 3);
      for (int r = 0; r < repeats; ++r) {
        batch.push_back(batch[static_cast<size_t>(*rc::gen::inRange<size_t>(0, batch.size()))]);
      }
      std::mt19937 shuffle(*rc::gen::arbitrary<uint32_t>());
      std::shuffle(batch.begin(), batch.end(), shuffle);
      auto applied = stores[to]->ApplyRemote(stores[from]->info().replica_id, batch, {});
      RC_ASSERT(applied.ok());
      RC_ASSERT(applied->accepted + applied->duplicate + applied->dominated == batch.size());
    }
  }

  // A full exchange: everything to register 0, then all of it to the rest.
  for (int i = 1; i < n; ++i) RC_ASSERT(Send(*stores[i], *stores[0]).ok());
  const auto everything = VersionsAfter(*stores[0], 0);
  RC_ASSERT(everything.ok());
  for (int i = 1; i < n; ++i) {
    RC_ASSERT(stores[i]->ApplyRemote(stores[0]->info().replica_id, *everything, {}).ok());
  }
  const std::string dump = DumpOf(*stores[0]);
  for (int i = 1; i < n; ++i) RC_ASSERT(DumpOf(*stores[i]) == dump);

  // The live siblings per attendance record.
  std::map<std::string, std::vector<Change>> live;
  const std::vector<Change> changes = stores[0]->ChangesAfter(0, 1'000'000).value();
  for (const Change& c : changes) {
    if (c.live && c.kind == RecordKind::kAttendance) live[c.record_id].push_back(c);
  }
  // No version lost.
  for (const VersionedRecord& w : written) {
    const auto& siblings = live[RecordIdOf(w.record)];
    RC_ASSERT(std::any_of(siblings.begin(), siblings.end(), [&](const Change& s) {
      const Ordering o = s.stamp.vv.Compare(w.stamp.vv);
      return o == Ordering::kEqual || o == Ordering::kDominates;
    }));
  }
  for (const auto& [id, siblings] : live) {
    RC_ASSERT(!siblings.empty());
    VersionVector merged;
    std::vector<VersionedRecord> parsed;
    for (const Change& s : siblings) {
      merged.Merge(s.stamp.vv);
      for (const Change& other : siblings) {
        if (&other != &s) RC_ASSERT(s.stamp.vv.Compare(other.stamp.vv) == Ordering::kConcurrent);
      }
      auto v = FromChange(s);
      RC_ASSERT(v.ok());
      parsed.push_back(std::move(v).value());
    }
    // The shown value is the merge policy's (core/merge.h) over the siblings.
    std::vector<AttendanceSibling> input;
    for (const VersionedRecord& v : parsed) {
      input.push_back({&std::get<Attendance>(v.record), &v.stamp});
    }
    const MergeOutcome outcome = MergeAttendance(input);
    const VersionStamp& facts = parsed[static_cast<size_t>(outcome.facts_from)].stamp;
    for (const auto& store : stores) {
      auto stamp = store->GetStamp(RecordKind::kAttendance, id);
      RC_ASSERT(stamp.ok());
      RC_ASSERT(stamp->vv == merged);
      RC_ASSERT(stamp->hlc == facts.hlc);
      RC_ASSERT(stamp->writer == facts.writer);
    }
    const Attendance a = MergedValue(input, outcome);
    auto rows = stores[0]->ListAttendance(a.lesson_id);
    RC_ASSERT(rows.ok());
    RC_ASSERT(std::find(rows->begin(), rows->end(), a) != rows->end());
  }
  RC_ASSERT(stores[0]->VerifyAudit()->ok());
}

}  // namespace replication_test
}  // namespace presentie::storage
