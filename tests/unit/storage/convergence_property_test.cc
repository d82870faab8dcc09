// Convergence of the conflict queue over real SQLite registers
// (docs/storage.md, "Replication"): "replicas that have seen the same versions
// hold the same state, in any order of arrival, with duplicates". The merge
// policy (core/merge.h) is a pure function of the siblings; this file shows
// that the store keeps the siblings, the shown value, the merge columns and the
// open conflicts of every attendance record the same on every register, and
// loses no version, whatever the order in which versions travel — with the
// ownership rules of core/ownership.h refusing what a writer does not own.
//
// Case count: the property runs PRESENTIE_PROPERTY_CASES cases (an
// environment variable; default 1000, 250 in the ASan build — see
// kDefaultCases; as in merge_property_test.cc). Without
// it, an RC_PARAMS that sets max_success is obeyed; RC_PARAMS's other keys
// (seed=..., reproduce=...) work as usual. E.g.
//   PRESENTIE_PROPERTY_CASES=5000 storage_tests --gtest_filter='ConflictConvergence*'
//
// The gemeente's classification (R2) is covered by plain tests at the end:
// the gemeente's version arrives as the gemeente endpoint sends it, since a
// register cannot be made with the gemeente's role (Store::Create accepts
// admin, teacher and hub).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/classification.h"
#include "core/ids.h"
#include "core/merge.h"
#include "core/ownership.h"
#include "storage/versioned.h"
#include "storage_test_util.h"
#include "tests/property.h"

namespace presentie::storage {
namespace convergence_property_test {

using testing::Absent;
using testing::SampleCourse;
using testing::SampleLearner;
using testing::SampleLesson;
using testing::StorageTest;
using testing::VersionsAfter;

// ---------------------------------------------------------------- running a property

// The ASan+UBSan build (make test-asan: Debug, instrumented) runs a case
// about eight times slower than the release build (1000 cases: ~30 s in
// release, ~4 min there); it runs 250 by default. The compiler says which
// build this is: PRESENTIE_SANITIZE adds no definition of its own.
#if defined(__SANITIZE_ADDRESS__)
#define PRESENTIE_CONVERGENCE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PRESENTIE_CONVERGENCE_ASAN 1
#endif
#endif
#ifdef PRESENTIE_CONVERGENCE_ASAN
constexpr int kDefaultCases = 250;
#else
constexpr int kDefaultCases = 1000;
#endif

// RC_GTEST_PROP with the case count of tests/property.h.
#define CONVERGENCE_PROPERTY(Suite, Name) PRESENTIE_PROPERTY(Suite, Name, kDefaultCases)

// ---------------------------------------------------------------- the registers

constexpr int kMaxReplicas = 6;
constexpr int kLessons = 3;
constexpr int kLearners = 3;  // S1 is a Wi2021 asylum permit holder, S2 and S3 family migrants
constexpr int kLessonMinutes = 120;
constexpr uint64_t kBaseClockMs = 1'790'000'000'000;

bool IsAsylum(const std::string& learner_id) { return learner_id == "S1"; }

Learner AsylumLearner(const std::string& id, int n) {
  Learner l = SampleLearner(id, n);
  l.category = Category::kAsylumPermitHolder;
  l.regime = Regime::kWi2021;
  l.gemeente_code = "0363";
  return l;
}

// The origin's records: learners, a course with all of them, lessons.
void AddBase(Store& store) {
  std::vector<Learner> learners;
  std::vector<std::string> ids;
  for (int i = 1; i <= kLearners; ++i) {
    const std::string id = "S" + std::to_string(i);
    learners.push_back(IsAsylum(id) ? AsylumLearner(id, i) : SampleLearner(id, i));
    ids.push_back(id);
  }
  ASSERT_TRUE(store.AddLearners(testing::Admin(), learners, "learner.import").ok());
  ASSERT_TRUE(store.AddCourse(testing::Admin(), SampleCourse("C1")).ok());
  ASSERT_TRUE(store.Enroll(testing::Admin(), "C1", ids).ok());
  for (int i = 1; i <= kLessons; ++i) {
    ASSERT_TRUE(
        store.AddLesson(testing::Admin(), SampleLesson("L" + std::to_string(i), "C1", i)).ok());
  }
}

// A folder in /dev/shm when there is one: every commit syncs, and on a
// shared disk a thousand cases take minutes instead of seconds.
std::filesystem::path ScratchDir() {
  std::error_code error;
  std::string pattern =
      std::filesystem::is_directory("/dev/shm", error) && ::access("/dev/shm", W_OK) == 0
          ? "/dev/shm/presentie-convergence-XXXXXX"
          : (std::filesystem::temp_directory_path() / "presentie-convergence-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

class ScopedDir {
 public:
  ScopedDir() : path_(ScratchDir()) {}
  ~ScopedDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScopedDir(const ScopedDir&) = delete;
  ScopedDir& operator=(const ScopedDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Registers made once per process, copied by each case (creating a register
// and giving it the base is most of a case's cost):
//   admin<i>.db, teacher<i>.db  i < kMaxReplicas: the origin's records
//                               received by ApplyRemote; a case takes one of
//                               the two for its replica i, so replica ids
//                               within a case are distinct
//   empty<j>.db                 j < 2: nothing at all (the order check)
class BaseRegisters {
 public:
  static const BaseRegisters& Get() {
    static const BaseRegisters base;
    return base;
  }
  bool ok() const { return ok_; }
  std::filesystem::path Path(const std::string& name) const { return dir_.path() / name; }

 private:
  BaseRegisters() {
    if (dir_.path().empty()) return;
    StoreOptions options;
    options.clock_ms = [] { return kBaseClockMs; };
    auto origin = Store::Create(Path("origin.db").string(),
                                InitOptions{"Taalschool De Brug", "25AB", Role::kAdmin}, options);
    if (!origin.ok()) return;
    AddBase(**origin);
    auto base = VersionsAfter(**origin, 0);
    if (!base.ok()) return;
    for (int i = 0; i < kMaxReplicas; ++i) {
      for (Role role : {Role::kAdmin, Role::kTeacher}) {
        const std::string name = std::string(ToString(role)) + std::to_string(i) + ".db";
        auto store = Store::Create(Path(name).string(),
                                   InitOptions{"Taalschool De Brug", "25AB", role}, options);
        if (!store.ok()) return;
        auto applied = (*store)->ApplyRemote((*origin)->info().replica_id, *base, {});
        if (!applied.ok() || applied->accepted != base->size()) return;
      }
    }
    for (int j = 0; j < 2; ++j) {
      auto store = Store::Create(Path("empty" + std::to_string(j) + ".db").string(),
                                 InitOptions{"Taalschool De Brug", "25AB", Role::kAdmin}, options);
      if (!store.ok()) return;
    }
    ok_ = true;
  }

  ScopedDir dir_;
  bool ok_ = false;
};

std::string DumpOf(Store& store) {
  auto dump = store.CanonicalDump();
  return dump.ok() ? *dump : "error: " + dump.status().ToString();
}

// The first line where two dumps differ, for a failing case's message.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream sa(a);
  std::istringstream sb(b);
  std::string la;
  std::string lb;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(sa, la));
    const bool more_b = static_cast<bool>(std::getline(sb, lb));
    if (!more_a && !more_b) return "no difference";
    if (!more_a) la = "<end>";
    if (!more_b) lb = "<end>";
    if (la != lb) return "line " + std::to_string(line) + ":\n  " + la + "\n  " + lb;
  }
}

struct Replica {
  std::unique_ptr<Store> store;
  Role role = Role::kAdmin;
  Actor actor() const { return Actor{role, role == Role::kAdmin ? "admin1" : "tjansen"}; }
  const std::string& id() const { return store->info().replica_id; }
};

// ---------------------------------------------------------------- generating values

// A value in [min, max), uniformly: rc::gen::inRange scales its range with
// the case's size (small cases first), which would leave most cases with
// one kind of step on one record. Shrinks towards min all the same.
template <typename T>
T Uniform(T min, T max) {
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(min, max));
}

// A valid value for a lesson of kLessonMinutes: present (on site or remote),
// absent with a random notice, reason and note, or partial with those and a
// mode. On an admin's register, an absence sometimes carries the admin's
// decision.
Attendance GenValue(const std::string& lesson, const std::string& learner, bool admin) {
  Attendance a;
  a.lesson_id = lesson;
  a.learner_id = learner;
  a.status = *rc::gen::element(AttendanceStatus::kPresent, AttendanceStatus::kAbsent,
                               AttendanceStatus::kPartial);
  if (a.status == AttendanceStatus::kPresent) {
    a.minutes_present = kLessonMinutes;
    a.mode = *rc::gen::element(Mode::kOnSite, Mode::kRemote);
    return a;
  }
  if (a.status == AttendanceStatus::kPartial) {
    a.minutes_present = *rc::gen::element(30, 60, 90);
    a.mode = *rc::gen::element(Mode::kOnSite, Mode::kRemote);
  }
  a.notified_in_advance = Uniform(0, 4) == 0;
  a.reason = *rc::gen::element(AbsenceReason::kNone, AbsenceReason::kIllness,
                               AbsenceReason::kWedding, AbsenceReason::kFuneral,
                               AbsenceReason::kReligiousHoliday, AbsenceReason::kOther,
                               AbsenceReason::kDoubtful);
  a.note = *rc::gen::element(std::string(), std::string("phoned in"), std::string("doctor"));
  if (admin && Uniform(0, 4) == 0) {
    a.decision = ClassificationDecision{
        *rc::gen::element(Classification::kExcused, Classification::kUnexcused), Role::kAdmin};
  }
  return a;
}

// One line on a value, for the log of a failing case.
std::string Describe(const Attendance& a) {
  std::string out = a.lesson_id + "/" + a.learner_id + " " + std::string(ToString(a.status)) +
                    " " + std::to_string(a.minutes_present) + "min " +
                    std::string(ToString(a.mode));
  if (a.notified_in_advance) out += " notice";
  out += " " + std::string(ToString(a.reason));
  if (a.decision.has_value()) {
    out += " decision=" + std::string(ToString(a.decision->value)) + "/" +
           std::string(ToString(a.decision->decided_by));
  }
  return out;
}

// The ownership rule that must refuse `value` written by `role` over the
// value `shown` (nullopt: not recorded here yet); empty when it is allowed.
// Only decisions are at stake: an admin's decision on the asylum permit
// holder (the gemeente classifies), and a teacher's present that would drop
// an admin's decision (only its party removes it).
std::string_view ExpectedRefusal(Role role, const std::optional<Attendance>& shown,
                                 const Attendance& value) {
  if (value.decision.has_value() && IsAsylum(value.learner_id)) {
    return own_rule::kGemeenteClassifies;
  }
  if (role != Role::kAdmin && value.status == AttendanceStatus::kPresent && shown.has_value() &&
      shown->decision.has_value()) {
    return own_rule::kDecisionOwner;
  }
  return {};
}

std::optional<Attendance> ShownValue(Store& store, const std::string& lesson,
                                     const std::string& learner) {
  auto rows = store.ListAttendance(lesson);
  RC_ASSERT(rows.ok());
  for (const Attendance& a : *rows) {
    if (a.learner_id == learner) return a;
  }
  return std::nullopt;
}

// Every attendance version of `store`'s log, live or not, with its live flag.
std::vector<Change> AttendanceChanges(Store& store) {
  auto changes = store.ChangesAfter(0, 1'000'000);
  RC_ASSERT(changes.ok());
  std::vector<Change> out;
  for (Change& c : *changes) {
    if (c.kind == RecordKind::kAttendance) out.push_back(std::move(c));
  }
  return out;
}

using ConflictKey = std::tuple<std::string, std::string, uint32_t>;  // id, record, kinds

std::vector<ConflictKey> OpenConflicts(Store& store) {
  auto conflicts = store.ListConflicts(false);
  RC_ASSERT(conflicts.ok());
  std::vector<ConflictKey> out;
  for (const Store::Conflict& c : *conflicts) {
    RC_ASSERT(c.open);
    out.emplace_back(c.id, c.record_id, c.kinds);
  }
  return out;
}

// Applies `versions` to `to` (from `source`) in batches of random sizes.
// Returns how many were accepted.
uint32_t ApplyInBatches(Store& to, const std::string& source,
                        const std::vector<VersionedRecord>& versions, std::mt19937& random) {
  uint32_t accepted = 0;
  size_t at = 0;
  while (at < versions.size()) {
    const size_t n = std::min(versions.size() - at, size_t{1} + random() % 8);
    const std::span<const VersionedRecord> batch(versions.data() + at, n);
    auto applied = to.ApplyRemote(source, batch, {});
    RC_ASSERT(applied.ok());
    RC_ASSERT(applied->accepted + applied->duplicate + applied->dominated + applied->refused ==
              n);
    accepted += applied->accepted;
    at += n;
  }
  return accepted;
}

// ---------------------------------------------------------------- the property

// 2–6 registers, each an admin's or a teacher's, share the origin's learners
// (one a Wi2021 asylum permit holder), course and lessons. At each of up to
// 25 steps one of them records a value for one of 3 × 3 overlapping
// attendance records (sometimes with an admin's decision), resolves one of
// its open conflicts, or receives a random part of another's change log —
// a random subset, in random order, with duplicates. The clock sometimes
// stands still, so that stamps tie. Then a full exchange, repeated until no
// version is accepted anywhere. Then:
//  - every register gives the same canonical dump (siblings, shown value,
//    merge columns, open conflicts) and lists the same open conflicts;
//  - no version written anywhere is lost: each is a live sibling, or a live
//    sibling's vv dominates it, on every register;
//  - the shown value, its rules and the conflict are the merge policy's for
//    the live siblings (core's MergeAttendance);
//  - two empty registers given every version in two different orders (and
//    batchings) end with that same dump.
CONVERGENCE_PROPERTY(ConflictConvergenceProperty, ReplicasConvergeOnTheSameSiblingsValuesAndConflicts) {
  const BaseRegisters& base = BaseRegisters::Get();
  RC_ASSERT(base.ok());
  ScopedDir dir;
  RC_ASSERT(!dir.path().empty());
  auto now_ms = std::make_shared<uint64_t>(kBaseClockMs + 1000);
  StoreOptions options;
  options.clock_ms = [now_ms] { return *now_ms; };

  const int n = Uniform(2, kMaxReplicas + 1);
  std::vector<Replica> replicas;
  for (int i = 0; i < n; ++i) {
    const Role role = *rc::gen::element(Role::kAdmin, Role::kTeacher);
    const std::string name = std::string(ToString(role)) + std::to_string(i) + ".db";
    std::filesystem::copy_file(base.Path(name), dir.path() / name);
    std::filesystem::copy_file(base.Path(name + ".key"), dir.path() / (name + ".key"));
    auto store = Store::Open((dir.path() / name).string(), options);
    RC_ASSERT(store.ok());
    replicas.push_back(Replica{std::move(store).value(), role});
  }

  // The records written: the first of L1..L3 × S2, S1, S3 (S1 the asylum
  // permit holder), so that small cases overlap the most.
  const int lessons_used = Uniform(1, kLessons + 1);
  const int learners_used = Uniform(1, kLearners + 1);
  const std::vector<std::string> learner_ids = {"S2", "S1", "S3"};
  const int steps = Uniform(1, 26);
  int recorded = 0;
  int refused_locally = 0;
  int resolved = 0;
  for (int step = 0; step < steps; ++step) {
    if (Uniform(0, 3) != 0) *now_ms += static_cast<uint64_t>(Uniform(1, 4));
    const int what = Uniform(0, 10);
    if (what < 5) {
      // Record a value.
      Replica& r = replicas[static_cast<size_t>(Uniform(0, n))];
      const std::string lesson = "L" + std::to_string(Uniform(1, lessons_used + 1));
      const std::string learner = learner_ids[static_cast<size_t>(Uniform(0, learners_used))];
      const Attendance value = GenValue(lesson, learner, r.role == Role::kAdmin);
      const std::string_view expected =
          ExpectedRefusal(r.role, ShownValue(*r.store, lesson, learner), value);
      const int64_t before = *r.store->LastChangeSeq();
      const Status s = r.store->RecordAttendance(r.actor(), std::vector{value}, "");
      RC_LOG() << "step " << step << ": " << ToString(r.role) << " " << r.id() << " records "
               << Describe(value) << ": " << s.ToString() << "\n";
      if (expected.empty()) {
        RC_ASSERT(s.ok());
        RC_ASSERT(*r.store->LastChangeSeq() == before + 1);
        ++recorded;
      } else {
        RC_ASSERT(s.code() == StatusCode::kPermissionDenied);
        RC_ASSERT(s.message().find(std::string(expected)) != std::string::npos);
        RC_ASSERT(*r.store->LastChangeSeq() == before);
        ++refused_locally;
      }
    } else if (what < 7) {
      // Resolve an open conflict: on a register that has one, most often an
      // admin's (a teacher's is refused).
      std::vector<Replica*> with_conflicts;
      for (Replica& candidate : replicas) {
        auto listed = candidate.store->ListConflicts(false);
        RC_ASSERT(listed.ok());
        if (listed->empty()) continue;
        const int weight = candidate.role == Role::kAdmin ? 4 : 1;
        for (int k = 0; k < weight; ++k) with_conflicts.push_back(&candidate);
      }
      if (with_conflicts.empty()) continue;
      Replica& r = *with_conflicts[static_cast<size_t>(
          Uniform<size_t>(0, with_conflicts.size()))];
      auto open = r.store->ListConflicts(false);
      RC_ASSERT(open.ok());
      const Store::Conflict& c = (*open)[static_cast<size_t>(
          Uniform<size_t>(0, open->size()))];
      Attendance value = GenValue(c.lesson_id, c.learner_id, r.role == Role::kAdmin);
      const Status s = r.store->ResolveConflict(r.actor(), c.id, value, "agreed with the teacher");
      RC_LOG() << "step " << step << ": " << ToString(r.role) << " " << r.id() << " resolves "
               << c.id << " with " << Describe(value) << ": " << s.ToString() << "\n";
      if (r.role != Role::kAdmin) {
        RC_ASSERT(s.code() == StatusCode::kPermissionDenied);
        continue;
      }
      const std::string_view expected = ExpectedRefusal(r.role, c.shown, value);
      if (!expected.empty()) {
        RC_ASSERT(s.code() == StatusCode::kPermissionDenied);
        RC_ASSERT(s.message().find(std::string(expected)) != std::string::npos);
        continue;
      }
      RC_ASSERT(s.ok());
      ++resolved;
      // Closed here at once: the edit dominates every sibling.
      auto after = r.store->GetConflict(c.id);
      RC_ASSERT(after.ok());
      RC_ASSERT(!after->open);
      auto explained = r.store->GetAttendanceState(c.record_id);
      RC_ASSERT(explained.ok());
      RC_ASSERT(explained->conflict_id.empty());
      RC_ASSERT(explained->siblings.size() == 1u);
      RC_ASSERT(explained->resolution_reason == std::optional<std::string>("agreed with the teacher"));
      RC_ASSERT(r.store->ResolveConflict(r.actor(), c.id, value, "again").code() ==
                StatusCode::kFailedPrecondition);
    } else {
      // Deliver a random part of another register's log: a subset, some
      // versions twice, in random order.
      Replica& r = replicas[static_cast<size_t>(Uniform(0, n))];
      Replica& from = replicas[static_cast<size_t>(Uniform(0, n))];
      if (&from == &r) continue;
      auto log = VersionsAfter(*from.store, 0);
      RC_ASSERT(log.ok());
      std::mt19937 random(*rc::gen::arbitrary<uint32_t>());
      std::vector<VersionedRecord> batch;
      for (const VersionedRecord& v : *log) {
        const uint32_t pick = random() % 4;  // 0: left out, 3: twice
        if (pick >= 1) batch.push_back(v);
        if (pick == 3) batch.push_back(v);
      }
      std::shuffle(batch.begin(), batch.end(), random);
      auto applied = r.store->ApplyRemote(from.id(), batch, {});
      RC_ASSERT(applied.ok());
      RC_LOG() << "step " << step << ": " << from.id() << " -> " << r.id() << ": "
               << batch.size() << " versions, " << applied->accepted << " accepted, "
               << applied->duplicate << " duplicate, " << applied->dominated << " dominated, "
               << applied->refused << " refused\n";
      RC_ASSERT(applied->accepted + applied->duplicate + applied->dominated + applied->refused ==
                batch.size());
    }
  }

  // A full exchange: every register's whole log to every other, until no
  // version is accepted anywhere (a version refused because what it
  // replaced had not arrived is taken when it comes again).
  int rounds = 0;
  for (bool changed = true; changed; ++rounds) {
    RC_ASSERT(rounds <= n + 2);
    changed = false;
    for (Replica& from : replicas) {
      auto log = VersionsAfter(*from.store, 0);
      RC_ASSERT(log.ok());
      for (Replica& to : replicas) {
        if (&to == &from) continue;
        auto applied = to.store->ApplyRemote(from.id(), *log, {});
        RC_ASSERT(applied.ok());
        if (applied->accepted > 0) changed = true;
      }
    }
  }

  // The same state everywhere.
  const std::string dump = DumpOf(*replicas[0].store);
  RC_ASSERT(dump.rfind("presentie canonical dump", 0) == 0u);
  const std::vector<ConflictKey> conflicts = OpenConflicts(*replicas[0].store);
  for (int i = 1; i < n; ++i) {
    const std::string other = DumpOf(*replicas[static_cast<size_t>(i)].store);
    if (other != dump) RC_FAIL("register " + std::to_string(i) + " differs from 0 at " +
                               FirstDifference(dump, other));
    RC_ASSERT(OpenConflicts(*replicas[static_cast<size_t>(i)].store) == conflicts);
  }
  RC_TAG(conflicts.empty() ? "no conflict open" : "conflicts open");
  RC_CLASSIFY(refused_locally > 0, "a write refused by ownership");
  RC_CLASSIFY(resolved > 0, "a conflict resolved");

  // No version lost.
  std::vector<std::map<std::string, std::vector<Change>>> live(static_cast<size_t>(n));
  std::vector<Change> written;
  for (int i = 0; i < n; ++i) {
    for (Change& c : AttendanceChanges(*replicas[static_cast<size_t>(i)].store)) {
      if (c.received_from.empty()) written.push_back(c);
      if (c.live) live[static_cast<size_t>(i)][c.record_id].push_back(std::move(c));
    }
  }
  RC_ASSERT(static_cast<int>(written.size()) == recorded + resolved);
  for (const Change& w : written) {
    for (int i = 0; i < n; ++i) {
      const std::vector<Change>& siblings = live[static_cast<size_t>(i)][w.record_id];
      RC_ASSERT(std::any_of(siblings.begin(), siblings.end(), [&](const Change& s) {
        const Ordering o = s.stamp.vv.Compare(w.stamp.vv);
        return o == Ordering::kEqual || o == Ordering::kDominates;
      }));
    }
  }

  // The shown value and the conflict are the merge policy's.
  Store& first = *replicas[0].store;
  for (const auto& [record_id, changes] : live[0]) {
    std::vector<VersionedRecord> versions;
    for (const Change& c : changes) {
      auto v = FromChange(c);
      RC_ASSERT(v.ok());
      v->stamp = c.stamp;
      versions.push_back(std::move(v).value());
    }
    std::vector<AttendanceSibling> siblings;
    for (const VersionedRecord& v : versions) {
      siblings.push_back({&std::get<Attendance>(v.record), &v.stamp});
    }
    for (size_t i = 0; i < siblings.size(); ++i) {
      for (size_t j = i + 1; j < siblings.size(); ++j) {
        RC_ASSERT(siblings[i].stamp->vv.Compare(siblings[j].stamp->vv) == Ordering::kConcurrent);
      }
    }
    const MergeOutcome outcome = MergeAttendance(siblings);
    Attendance expected = MergedValue(siblings, outcome);
    auto e = first.GetAttendanceState(record_id);
    RC_ASSERT(e.ok());
    expected.id = e->shown.id;
    RC_ASSERT(e->shown == expected);
    RC_ASSERT(e->facts_rule == outcome.facts_rule);
    RC_ASSERT(e->absence_rule == outcome.absence_rule);
    RC_ASSERT(e->decision_rule == outcome.decision_rule);
    RC_ASSERT(e->conflict_kinds == outcome.conflict);
    RC_ASSERT(e->siblings.size() == siblings.size());
    RC_ASSERT(e->conflict_id.empty() == (outcome.conflict == kConflictNone));
    VersionVector merged;
    for (const VersionedRecord& v : versions) merged.Merge(v.stamp.vv);
    RC_ASSERT(e->shown_stamp.vv == merged);
    RC_ASSERT(first.GetLearner(e->shown.learner_id).ok());
    if (!e->conflict_id.empty()) {
      auto c = first.GetConflict(e->conflict_id);
      RC_ASSERT(c.ok());
      RC_ASSERT(c->open);
      RC_ASSERT(c->record_id == record_id);
      RC_ASSERT(c->kinds == outcome.conflict);
      RC_ASSERT(c->siblings.size() == siblings.size());
      RC_ASSERT(c->shown == e->shown);
      // By attendance id: the open one.
      auto by_record = first.GetConflict(record_id);
      RC_ASSERT(by_record.ok());
      RC_ASSERT(by_record->id == e->conflict_id);
    }
  }
  for (const Replica& r : replicas) {
    auto audit = r.store->VerifyAudit();
    RC_ASSERT(audit.ok());
    RC_ASSERT(audit->ok());
  }

  // The order does not matter: every version register 0 holds (the base
  // records too, live or not) given to two empty registers in two orders.
  auto everything = VersionsAfter(first, 0);
  RC_ASSERT(everything.ok());
  std::vector<std::unique_ptr<Store>> fresh;
  for (int j = 0; j < 2; ++j) {
    const std::string name = "empty" + std::to_string(j) + ".db";
    std::filesystem::copy_file(base.Path(name), dir.path() / name);
    std::filesystem::copy_file(base.Path(name + ".key"), dir.path() / (name + ".key"));
    auto store = Store::Open((dir.path() / name).string(), options);
    RC_ASSERT(store.ok());
    std::vector<VersionedRecord> order = *everything;
    std::mt19937 random(*rc::gen::arbitrary<uint32_t>());
    if (j == 1) std::reverse(order.begin(), order.end());
    std::shuffle(order.begin() + static_cast<std::ptrdiff_t>(order.size() / 2), order.end(),
                 random);
    int passes = 0;
    while (ApplyInBatches(**store, first.info().replica_id, order, random) > 0) {
      RC_ASSERT(++passes <= 8);
    }
    const std::string other = DumpOf(**store);
    if (other != dump) RC_FAIL("a register given the versions in order " + std::to_string(j) +
                               " differs at " + FirstDifference(dump, other));
    RC_ASSERT(OpenConflicts(**store) == conflicts);
    fresh.push_back(std::move(store).value());
  }
}

// ---------------------------------------------------------------- the gemeente (R2)

class SchoolRegistersTest : public StorageTest {
 protected:
  // A school admin's register with the base, and a teacher's that received it.
  void SetUp() override {
    StorageTest::SetUp();
    school_ = NewRegister("school.db", Role::kAdmin);
    teacher_ = NewRegister("teacher.db", Role::kTeacher);
    ASSERT_NE(school_, nullptr);
    ASSERT_NE(teacher_, nullptr);
    AddBase(*school_);
    ASSERT_TRUE(Exchange(*school_, *teacher_).ok());
  }

  std::unique_ptr<Store> NewRegister(const std::string& name, Role role) {
    auto store = Store::Create(PathOf(name), InitOptions{"Taalschool De Brug", "25AB", role},
                               Options());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Everything each has, to the other.
  static Status Exchange(Store& a, Store& b) {
    for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      PRESENTIE_ASSIGN_OR_RETURN(std::vector<VersionedRecord> versions, VersionsAfter(*from, 0));
      PRESENTIE_ASSIGN_OR_RETURN(Store::ApplyResult applied,
                                 to->ApplyRemote(from->info().replica_id, versions, {}));
      (void)applied;
    }
    return Status::Ok();
  }

  // The version the gemeente's endpoint sends back: the facts it received
  // (the shown value of `from`'s record), with its own decision, dominating
  // the versions it saw.
  VersionedRecord GemeenteDecision(Store& from, const std::string& record_id,
                                   Classification value) {
    auto e = from.GetAttendanceState(record_id);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    VersionedRecord v;
    Attendance a = e->shown;
    a.decision = ClassificationDecision{value, Role::kGemeente};
    v.record = a;
    v.stamp.vv = e->shown_stamp.vv;
    EXPECT_TRUE(v.stamp.vv.Increment(kGemeenteReplica).ok());
    now_ms_ += 1000;
    v.stamp.hlc = Hlc{now_ms_, 0};
    v.stamp.writer = Writer{kGemeenteReplica, Role::kGemeente, "gemeente-0363"};
    return v;
  }

  static constexpr const char* kGemeenteReplica = "6e6d0363aa55aa55";
  std::unique_ptr<Store> school_;
  std::unique_ptr<Store> teacher_;
};

class GemeenteClassificationTest : public SchoolRegistersTest {};
class ArrivalOrderTest : public SchoolRegistersTest {};

Actor TeacherActor() { return Actor{Role::kTeacher, "tjansen"}; }

// A teacher's edit keeps the admin's decision it replaced; a register that
// received the admin's later version first drops the earlier one as
// dominated, so it never holds what the teacher replaced. Checked against
// what it does hold, the teacher's edit would be refused there
// (O.decision-owner) and taken everywhere else: two registers with the same
// versions would differ for good. (Found by the property above.)
TEST_F(ArrivalOrderTest, AnEditWhosePastWasDroppedAsDominatedIsTakenAsEverywhereElse) {
  Attendance decided = Absent("L1", "S2", AbsenceReason::kOther);
  decided.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
  ASSERT_TRUE(school_->RecordAttendance(testing::Admin(), std::vector{decided}, "").ok());
  const int64_t first = *school_->LastChangeSeq();
  ASSERT_TRUE(Exchange(*school_, *teacher_).ok());
  now_ms_ += 1000;
  // The teacher adds a note; the admin, concurrently, changes the decision.
  Attendance noted = Absent("L1", "S2", AbsenceReason::kOther);
  noted.note = "came back for the second hour";
  ASSERT_TRUE(teacher_->RecordAttendance(TeacherActor(), std::vector{noted}, "").ok());
  auto edit = VersionsAfter(*teacher_, *teacher_->LastChangeSeq() - 1);
  ASSERT_TRUE(edit.ok());
  ASSERT_EQ(edit->size(), 1u);
  ASSERT_EQ(std::get<Attendance>(edit->front().record).decision, decided.decision);
  decided.decision->value = Classification::kUnexcused;
  ASSERT_TRUE(school_->RecordAttendance(testing::Admin(), std::vector{decided}, "").ok());
  auto admin_versions = VersionsAfter(*school_, first - 1);
  ASSERT_TRUE(admin_versions.ok());
  ASSERT_EQ(admin_versions->size(), 2u);  // the first decision, then the second

  // Two fresh registers with the base: one gets the admin's versions in
  // order, the other the later one first; then both get the teacher's edit.
  auto base = VersionsAfter(*school_, 0);
  ASSERT_TRUE(base.ok());
  base->resize(static_cast<size_t>(first - 1));
  std::vector<std::unique_ptr<Store>> registers;
  for (bool later_first : {false, true}) {
    auto r = NewRegister(later_first ? "later-first.db" : "in-order.db", Role::kAdmin);
    ASSERT_NE(r, nullptr);
    ASSERT_TRUE(r->ApplyRemote(school_->info().replica_id, *base, {}).ok());
    std::vector<VersionedRecord> admin = *admin_versions;
    if (later_first) std::swap(admin[0], admin[1]);
    auto applied = r->ApplyRemote(school_->info().replica_id, admin, {});
    ASSERT_TRUE(applied.ok());
    EXPECT_EQ(applied->accepted, later_first ? 1u : 2u);
    EXPECT_EQ(applied->dominated, later_first ? 1u : 0u);
    applied = r->ApplyRemote(teacher_->info().replica_id, *edit, {});
    ASSERT_TRUE(applied.ok());
    EXPECT_EQ(applied->accepted, 1u) << (later_first ? "later first" : "in order");
    EXPECT_EQ(applied->refused, 0u);
    EXPECT_TRUE(r->ListRefused()->empty());
    registers.push_back(std::move(r));
  }
  ASSERT_TRUE(Exchange(*school_, *teacher_).ok());
  const std::string dump = DumpOf(*school_);
  EXPECT_EQ(DumpOf(*teacher_), dump);
  for (const auto& r : registers) EXPECT_EQ(DumpOf(*r), dump);
  // Both versions are siblings that disagree on the decision: excused by
  // the benefit of the doubt until the admin decides.
  auto e = school_->GetAttendanceState("L1/S2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->siblings.size(), 2u);
  EXPECT_NE(e->conflict_kinds & kConflictDecision, 0u);
  EXPECT_EQ(e->decision_rule, rule::kBenefitOfDoubt);

  // A forged edit with the same past is still refused where the past is
  // held: a teacher's version that sets an admin's decision itself.
  VersionedRecord forged = edit->front();
  forged.stamp.vv = e->shown_stamp.vv;
  ASSERT_TRUE(forged.stamp.vv.Increment(teacher_->info().replica_id).ok());
  forged.stamp.hlc.wall_ms += 5000;
  std::get<Attendance>(forged.record).decision->value = Classification::kUnexcused;
  auto applied = school_->ApplyRemote(teacher_->info().replica_id, std::vector{forged}, {});
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->refused, 1u);
  ASSERT_EQ(school_->ListRefused()->size(), 1u);
  EXPECT_EQ(school_->ListRefused()->front().rule, own_rule::kDecisionOwner);
}

TEST_F(GemeenteClassificationTest, TheGemeentesDecisionIsShownEverywhereAndTheSchoolCannotSetOne) {
  // The teacher records the asylum permit holder's absence: a reason that
  // would make it unexcused by the school's rules.
  Attendance absent = Absent("L1", "S1", AbsenceReason::kOther);
  ASSERT_TRUE(teacher_->RecordAttendance(TeacherActor(), std::vector{absent}, "").ok());
  ASSERT_TRUE(Exchange(*teacher_, *school_).ok());
  auto advice = school_->GetAttendanceState("L1/S1");
  ASSERT_TRUE(advice.ok());
  const ClassificationResult advised =
      Classify(*school_->GetLearner(advice->shown.learner_id), advice->shown);
  EXPECT_EQ(advised.value, Classification::kUnexcused);
  EXPECT_EQ(advised.rule, rule::kOtherReason);
  EXPECT_TRUE(advised.advisory);
  EXPECT_EQ(advised.authority, Role::kGemeente);

  // The school admin cannot classify it (R2: the gemeente does), neither by
  // an edit nor by a conflict's resolution later.
  Attendance classified = absent;
  classified.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
  const int64_t before = *school_->LastChangeSeq();
  Status s = school_->RecordAttendance(testing::Admin(), std::vector{classified}, "");
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find(std::string(own_rule::kGemeenteClassifies)), std::string::npos)
      << s.message();
  EXPECT_EQ(*school_->LastChangeSeq(), before);

  // The gemeente's decision arrives at the school: excused, whatever the
  // school's rules would say.
  const VersionedRecord decision = GemeenteDecision(*school_, "L1/S1", Classification::kExcused);
  auto applied = school_->ApplyRemote(kGemeenteReplica, std::vector{decision}, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 1u);
  EXPECT_EQ(applied->refused, 0u);
  // And the teacher's register gets it from the school.
  ASSERT_TRUE(Exchange(*school_, *teacher_).ok());
  for (Store* store : {school_.get(), teacher_.get()}) {
    auto e = store->GetAttendanceState("L1/S1");
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_TRUE(e->shown.decision.has_value());
    EXPECT_EQ(e->shown.decision->decided_by, Role::kGemeente);
    const ClassificationResult decided = Classify(*store->GetLearner(e->shown.learner_id), e->shown);
    EXPECT_EQ(decided.value, Classification::kExcused);
    EXPECT_EQ(decided.rule, rule::kGemeenteDecision);
    EXPECT_FALSE(decided.advisory);
    EXPECT_EQ(e->siblings.size(), 1u);
    EXPECT_TRUE(e->conflict_id.empty());
  }
  EXPECT_EQ(DumpOf(*school_), DumpOf(*teacher_));

  // Now the school admin's attempt to classify it otherwise is refused: the
  // decision is the gemeente's to change (the message names the rule that
  // refused: whose decision it is, O.decision-owner, is checked first).
  classified.decision = ClassificationDecision{Classification::kUnexcused, Role::kAdmin};
  s = school_->RecordAttendance(testing::Admin(), std::vector{classified}, "");
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find("(rule O."), std::string::npos) << s.message();
  EXPECT_TRUE(s.message().find(std::string(own_rule::kGemeenteClassifies)) != std::string::npos ||
              s.message().find(std::string(own_rule::kDecisionOwner)) != std::string::npos)
      << s.message();
  // An edit of the facts keeps the gemeente's decision.
  Attendance ill = Absent("L1", "S1", AbsenceReason::kIllness);
  ASSERT_TRUE(school_->RecordAttendance(testing::Admin(), std::vector{ill}, "").ok());
  auto kept = school_->GetAttendanceState("L1/S1");
  ASSERT_TRUE(kept.ok());
  ASSERT_TRUE(kept->shown.decision.has_value());
  EXPECT_EQ(kept->shown.decision->decided_by, Role::kGemeente);
  EXPECT_EQ(Classify(*school_->GetLearner("S1"), kept->shown).rule, rule::kGemeenteDecision);
}

TEST_F(GemeenteClassificationTest, AConflictOverAGemeenteDecisionIsResolvedWithoutTouchingIt) {
  ASSERT_TRUE(teacher_
                  ->RecordAttendance(TeacherActor(),
                                     std::vector{Absent("L2", "S1", AbsenceReason::kNone)}, "")
                  .ok());
  ASSERT_TRUE(Exchange(*teacher_, *school_).ok());
  // The gemeente decides on what the school sent; meanwhile, offline, the
  // teacher records the reason the learner gave.
  const VersionedRecord decision =
      GemeenteDecision(*school_, "L2/S1", Classification::kUnexcused);
  ASSERT_EQ(school_->ApplyRemote(kGemeenteReplica, std::vector{decision}, {})->accepted, 1u);
  now_ms_ += 1000;
  ASSERT_TRUE(teacher_
                  ->RecordAttendance(TeacherActor(),
                                     std::vector{Absent("L2", "S1", AbsenceReason::kIllness)}, "")
                  .ok());
  ASSERT_TRUE(Exchange(*teacher_, *school_).ok());

  // Two siblings that differ in the reason: a conflict, the same on both;
  // the gemeente's decision stands on the shown value.
  auto conflicts = school_->ListConflicts(false);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->size(), 1u);
  const Store::Conflict c = conflicts->front();
  EXPECT_EQ(c.record_id, "L2/S1");
  EXPECT_NE(c.kinds & kConflictAbsence, 0u);
  EXPECT_EQ(c.siblings.size(), 2u);
  auto on_teacher = teacher_->ListConflicts(false);
  ASSERT_TRUE(on_teacher.ok());
  ASSERT_EQ(on_teacher->size(), 1u);
  EXPECT_EQ(on_teacher->front().id, c.id);
  EXPECT_EQ(DumpOf(*school_), DumpOf(*teacher_));
  for (Store* store : {school_.get(), teacher_.get()}) {
    auto e = store->GetAttendanceState("L2/S1");
    ASSERT_TRUE(e.ok());
    ASSERT_TRUE(e->shown.decision.has_value());
    EXPECT_EQ(e->shown.decision->decided_by, Role::kGemeente);
    const ClassificationResult decided = Classify(*store->GetLearner("S1"), e->shown);
    EXPECT_EQ(decided.value, Classification::kUnexcused);
    EXPECT_EQ(decided.rule, rule::kGemeenteDecision);
    EXPECT_EQ(e->conflict_id, c.id);
  }

  // The admin cannot resolve it with a decision of the school's...
  Attendance value = Absent("L2", "S1", AbsenceReason::kIllness);
  value.note.clear();
  value.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
  Status s = school_->ResolveConflict(testing::Admin(), c.id, value, "the doctor's note");
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find("(rule O."), std::string::npos) << s.message();
  EXPECT_TRUE(school_->GetConflict(c.id)->open);
  // ...nor with a value that drops the gemeente's decision (a resolution
  // writes the value as given)...
  value.decision.reset();
  s = school_->ResolveConflict(testing::Admin(), c.id, value, "the doctor's note");
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find(std::string(own_rule::kDecisionOwner)), std::string::npos)
      << s.message();
  EXPECT_TRUE(school_->GetConflict(c.id)->open);
  // ...but settles the facts with the gemeente's decision as it is.
  ASSERT_TRUE(c.shown.decision.has_value());
  value.decision = c.shown.decision;
  s = school_->ResolveConflict(testing::Admin(), c.id, value, "the doctor's note");
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(Exchange(*school_, *teacher_).ok());
  for (Store* store : {school_.get(), teacher_.get()}) {
    EXPECT_TRUE(store->ListConflicts(false)->empty());
    auto e = store->GetAttendanceState("L2/S1");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->siblings.size(), 1u);
    ASSERT_TRUE(e->shown.decision.has_value());
    EXPECT_EQ(e->shown.decision->decided_by, Role::kGemeente);
    EXPECT_EQ(e->shown.reason, AbsenceReason::kIllness);
    EXPECT_EQ(Classify(*store->GetLearner("S1"), e->shown).rule, rule::kGemeenteDecision);
  }
  EXPECT_EQ(DumpOf(*school_), DumpOf(*teacher_));
  // The resolution is history on both.
  auto closed = teacher_->GetConflict(c.id);
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE(closed->open);
}

TEST_F(GemeenteClassificationTest, AGemeenteVersionWithoutStandingIsRefusedAndListed) {
  ASSERT_TRUE(school_
                  ->RecordAttendance(testing::Admin(),
                                     std::vector{Absent("L3", "S1", AbsenceReason::kOther),
                                                 Absent("L3", "S2", AbsenceReason::kOther)},
                                     "")
                  .ok());
  const std::string dump = DumpOf(*school_);
  // A decision on a family migrant: the school classifies them.
  const VersionedRecord on_family =
      GemeenteDecision(*school_, "L3/S2", Classification::kExcused);
  // Facts the gemeente changed: only the school records them.
  VersionedRecord changed_facts =
      GemeenteDecision(*school_, "L3/S1", Classification::kExcused);
  std::get<Attendance>(changed_facts.record).reason = AbsenceReason::kIllness;
  auto applied =
      school_->ApplyRemote(kGemeenteReplica, std::vector{on_family, changed_facts}, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->refused, 2u);
  EXPECT_EQ(applied->accepted, 0u);
  EXPECT_EQ(DumpOf(*school_), dump);
  auto refused = school_->ListRefused();
  ASSERT_TRUE(refused.ok());
  ASSERT_EQ(refused->size(), 2u);
  std::set<std::pair<std::string, std::string>> got;
  for (const Store::RefusedVersion& r : *refused) {
    EXPECT_EQ(r.source, kGemeenteReplica);
    got.emplace(RecordIdOf(r.version.record), r.rule);
  }
  EXPECT_EQ(got, (std::set<std::pair<std::string, std::string>>{
                     {"L3/S2", std::string(own_rule::kSchoolClassifies)},
                     {"L3/S1", std::string(own_rule::kFactsOwner)}}));
}

}  // namespace convergence_property_test
}  // namespace presentie::storage
