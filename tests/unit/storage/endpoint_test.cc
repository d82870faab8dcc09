// An authority's register as the endpoint of many schools
// (docs/authorities.md, "Many schools"): a school's records held under its
// own keys, each person once, and each school served from its own outbox —
// what the authority decided about its absences and what it holds about its
// people, under the school's keys.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/authorities.h"
#include "core/ids.h"
#include "storage/kinds/all.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace endpoint_test {

using testing::StorageTest;
using testing::ValidBsn;

const std::string kSchoolA = "a000000000000001";
const std::string kSchoolB = "b000000000000002";
const std::string kSchoolC = "c000000000000003";

class EndpointTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    auto gemeente = Store::Create(
        PathOf("gemeente.db"), InitOptions{"Gemeente Amsterdam", "", Role::kGemeente}, Options());
    ASSERT_TRUE(gemeente.ok()) << gemeente.status().ToString();
    gemeente_ = std::move(gemeente).value();
  }

  // `record` as school `school`'s admin sent it.
  Store::ApplyResult Receive(const std::string& school, Record record) {
    VersionedRecord v;
    v.stamp.vv.Set(school, ++counter_);
    v.stamp.hlc = Hlc{now_ms_ + counter_, 0};
    v.stamp.writer = Writer{school, Role::kAdmin, "admin"};
    v.record = std::move(record);
    auto applied = gemeente_->ApplyRemote(school, std::vector{v}, {});
    EXPECT_TRUE(applied.ok()) << applied.status().ToString();
    return applied.ok() ? *applied : Store::ApplyResult{};
  }

  exports::GemeenteAbsence Absence(const std::string& lesson, const std::string& learner, int n) {
    exports::GemeenteAbsence a;
    a.lesson_id = lesson;
    a.learner_id = learner;
    a.gemeente_code = "0363";
    a.bsn = ValidBsn(n);
    a.lesson_start = DateTime{Date{2026, 11, 2}, 9, 0};
    a.minutes_absent = 120;
    a.id = exports::GemeenteAbsenceId("0363", lesson, learner);
    return a;
  }

  exports::GemeentePip PipOf(const std::string& person) {
    exports::GemeentePip p;
    p.learner_id = person;
    p.gemeente_code = "0363";
    p.id = exports::GemeentePipId("0363", person);
    p.route = Route::kZ;
    p.level = Level::kA2;
    p.literacy = Literacy::kAA;
    p.estimated_hours = 800;
    p.lessons_per_week = 3;
    p.decided_on = Date{2026, 12, 2};
    return p;
  }

  std::string PersonOf(int n) {
    auto person = gemeente_->PersonByBsn(ValidBsn(n));
    EXPECT_TRUE(person.ok() && person->has_value()) << "no person with BSN #" << n;
    return person.ok() && person->has_value() ? **person : "";
  }

  // Everything addressed to `school` after its cursor, which moves on.
  std::vector<VersionedRecord> Pull(const std::string& school) {
    std::vector<VersionedRecord> out;
    for (;;) {
      auto page = gemeente_->AddressedTo(school, cursors_[school], 2);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) return out;
      EXPECT_GE(page->next, cursors_[school]);
      cursors_[school] = page->next;
      for (auto& v : page->versions) out.push_back(std::move(v));
      if (!page->more) return out;
    }
  }

  // A gemeente's register as schema 13 left it, holding `records`, each as
  // received from its writer (a school's admin, or the gemeente itself):
  // made as a school's register that received them, turned into the
  // gemeente's — its role, kGemeenteReplica its own, whose versions become
  // its own writes — wound back to 13, and opened again.
  struct Received {
    std::string writer;
    Role role;
    Record record;
  };
  static constexpr std::string_view kGemeenteReplica = "9000000000000009";
  std::unique_ptr<Store> FromBefore(const std::string& name, std::vector<Received> records) {
    const std::string path = PathOf(name);
    {
      auto before = Store::Create(path, InitOptions{"Gemeente", "25AB", Role::kAdmin}, Options());
      EXPECT_TRUE(before.ok()) << before.status().ToString();
      if (!before.ok()) return nullptr;
      for (Received& r : records) {
        VersionedRecord v;
        v.stamp.vv.Set(r.writer, ++counter_);
        v.stamp.hlc = Hlc{now_ms_ + counter_, 0};
        v.stamp.writer = Writer{r.writer, r.role, "x"};
        v.record = std::move(r.record);
        auto applied = (*before)->ApplyRemote(r.writer, std::vector{v}, {});
        EXPECT_TRUE(applied.ok() && applied->accepted == 1u)
            << (applied.ok() ? "not accepted" : applied.status().ToString());
      }
    }
    const std::string gemeente(kGemeenteReplica);
    testing::RawExec(path,
                     "UPDATE meta SET value = 'gemeente' WHERE key = 'role';"
                     "UPDATE meta SET value = '" +
                         gemeente +
                         "' WHERE key = 'replica_id';"
                         "UPDATE versions SET received_from = '' WHERE writer_replica = '" +
                         gemeente +
                         "';"
                         "DROP TABLE outbox; DROP TABLE person; DROP TABLE school_person;"
                         "PRAGMA user_version = 13;");
    auto opened = Store::Open(path, Options());
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  std::unique_ptr<Store> gemeente_;
  uint64_t counter_ = 0;
  std::map<std::string, int64_t> cursors_;
};

TEST_F(EndpointTest, TwoSchoolsLearnerL2AreTwoPeopleAndAMovedPersonIsOne) {
  // A's L2 is person 1; B's L2 is person 2; B's M7 is person 1, who moved
  // from A to B.
  EXPECT_EQ(Receive(kSchoolA, testing::SampleGemeenteHours("L2", 1, "0363", 40)).accepted, 1u);
  EXPECT_EQ(Receive(kSchoolB, testing::SampleGemeenteHours("L2", 2, "0363", 30)).accepted, 1u);
  EXPECT_EQ(Receive(kSchoolB, testing::SampleGemeenteHours("M7", 1, "0363", 10)).accepted, 1u);
  auto rows = gemeente_->ListGemeenteHours();
  ASSERT_TRUE(rows.ok());
  std::set<std::string> learners;
  for (const auto& r : *rows) learners.insert(r.learner_id);
  EXPECT_EQ(learners,
            (std::set<std::string>{kSchoolA + "~L2", kSchoolB + "~L2", kSchoolB + "~M7"}));
  EXPECT_NE(PersonOf(1), PersonOf(2));
  // Each person once, the BSN sealed and found by its keyed hash.
  EXPECT_EQ(testing::RawInt(PathOf("gemeente.db"), "SELECT count(*) FROM person"), 2);
  EXPECT_EQ(testing::RawInt(PathOf("gemeente.db"),
                            "SELECT count(*) FROM person WHERE substr(bsn, 1, 3) != 's1:'"),
            0);

  // The gemeente's PIP of person 1 goes to A as L2 and to B as M7; person
  // 2's to B as L2 only.
  ASSERT_TRUE(gemeente_
                  ->SetPips(Actor{Role::kGemeente, "ambtenaar"},
                            std::vector{PipOf(PersonOf(1)), PipOf(PersonOf(2))})
                  .ok());
  auto learners_of = [](const std::vector<VersionedRecord>& served) {
    std::multiset<std::string> out;
    for (const auto& v : served) {
      const auto& pip = std::get<exports::GemeentePip>(v.record);
      EXPECT_EQ(pip.id, exports::GemeentePipId("0363", pip.learner_id));
      out.insert(pip.learner_id);
    }
    return out;
  };
  EXPECT_EQ(learners_of(Pull(kSchoolA)), (std::multiset<std::string>{"L2"}));
  EXPECT_EQ(learners_of(Pull(kSchoolB)), (std::multiset<std::string>{"L2", "M7"}));
  EXPECT_TRUE(Pull(kSchoolA).empty()) << "the cursor did not move on";

  // A school that sends person 1 later is served what is held about them.
  EXPECT_EQ(Receive(kSchoolC, testing::SampleGemeenteHours("Q1", 1, "0363", 5)).accepted, 1u);
  EXPECT_EQ(learners_of(Pull(kSchoolC)), (std::multiset<std::string>{"Q1"}));
  // A change of the PIP reaches all three, each under its own key.
  exports::GemeentePip changed = PipOf(PersonOf(1));
  changed.lessons_per_week = 4;
  ASSERT_TRUE(gemeente_->SetPips(Actor{Role::kGemeente, "ambtenaar"}, std::vector{changed}).ok());
  EXPECT_EQ(learners_of(Pull(kSchoolA)), (std::multiset<std::string>{"L2"}));
  EXPECT_EQ(learners_of(Pull(kSchoolB)), (std::multiset<std::string>{"M7"}));
  EXPECT_EQ(learners_of(Pull(kSchoolC)), (std::multiset<std::string>{"Q1"}));
}

TEST_F(EndpointTest, ADecisionGoesToTheSchoolWhoseAbsenceItIsUnderItsKeys) {
  // Both schools send an absence of their L2 in their lesson X.
  Receive(kSchoolA, Absence("X", "L2", 1));
  Receive(kSchoolB, Absence("X", "L2", 2));
  auto absences = gemeente_->ListGemeenteAbsences();
  ASSERT_TRUE(absences.ok());
  ASSERT_EQ(absences->size(), 2u);
  // The gemeente decides on B's.
  exports::GemeenteDecision d;
  d.lesson_id = SchoolScopedKey(kSchoolB, "X");
  d.learner_id = SchoolScopedKey(kSchoolB, "L2");
  d.gemeente_code = "0363";
  d.id = exports::GemeenteDecisionId("0363", d.lesson_id, d.learner_id);
  d.value = Classification::kExcused;
  d.decided_on = Date{2026, 12, 3};
  auto decided = gemeente_->DecideAbsences(Actor{Role::kGemeente, "ambtenaar"}, std::vector{d});
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_TRUE(Pull(kSchoolA).empty()) << "school A was served B's decision";
  const std::vector<VersionedRecord> to_b = Pull(kSchoolB);
  ASSERT_EQ(to_b.size(), 1u);
  const auto& served = std::get<exports::GemeenteDecision>(to_b[0].record);
  EXPECT_EQ(served.lesson_id, "X");
  EXPECT_EQ(served.learner_id, "L2");
  EXPECT_EQ(served.id, exports::GemeenteDecisionId("0363", "X", "L2"));
  EXPECT_EQ(served.value, Classification::kExcused);
  EXPECT_TRUE(exports::Validate(served).ok());
  // A decision about an absence nobody sent is refused, naming it.
  d.lesson_id = SchoolScopedKey(kSchoolA, "Y");
  d.learner_id = SchoolScopedKey(kSchoolA, "L2");
  d.id = exports::GemeenteDecisionId("0363", d.lesson_id, d.learner_id);
  EXPECT_EQ(gemeente_->DecideAbsences(Actor{Role::kGemeente, "ambtenaar"}, std::vector{d})
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(EndpointTest, ARegisterFromBeforeKeepsItsCursorsBelowTheOutbox) {
  // A gemeente's register as step 13 left it, holding versions: its
  // schools' cursors are change-log seqs. After step 14 the outbox numbers
  // its entries above all of them.
  Receive(kSchoolA, testing::SampleGemeenteHours("L2", 1, "0363", 40));
  Receive(kSchoolA, testing::SampleGemeenteHours("L3", 3, "0363", 40));
  const int64_t last = *gemeente_->LastChangeSeq();
  gemeente_.reset();
  testing::RawExec(PathOf("gemeente.db"), "DROP TABLE outbox");
  testing::RawExec(PathOf("gemeente.db"), "PRAGMA user_version = 13");
  auto reopened = Store::Open(PathOf("gemeente.db"), Options());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  gemeente_ = std::move(reopened).value();
  ASSERT_TRUE(
      gemeente_->SetPips(Actor{Role::kGemeente, "ambtenaar"}, std::vector{PipOf(PersonOf(1))})
          .ok());
  cursors_[kSchoolA] = last;  // where its pulls had got to
  const std::vector<VersionedRecord> served = Pull(kSchoolA);
  ASSERT_EQ(served.size(), 1u);
  EXPECT_EQ(std::get<exports::GemeentePip>(served[0].record).learner_id, "L2");
  EXPECT_GT(cursors_[kSchoolA], last);
}

// A gemeente's register as schema 13 left it (FromBefore): records keyed
// by the schools' own keys.
TEST_F(EndpointTest, ARegisterFromBeforeIsKeyedBySchoolAndPersonWhenOpened) {
  const std::string gemeente(kGemeenteReplica);
  exports::GemeenteDecision d;
  d.lesson_id = "X";
  d.learner_id = "L2";
  d.gemeente_code = "0363";
  d.id = exports::GemeenteDecisionId("0363", "X", "L2");
  d.value = Classification::kUnexcused;
  d.decided_on = Date{2026, 12, 3};
  std::unique_ptr<Store> opened = FromBefore(
      "before.db", {{kSchoolA, Role::kAdmin, testing::SampleGemeenteHours("L2", 1, "0363", 40)},
                    {kSchoolA, Role::kAdmin, Absence("X", "L2", 1)},
                    {gemeente, Role::kGemeente, PipOf("L2")},
                    {gemeente, Role::kGemeente, d}});
  ASSERT_NE(opened, nullptr);
  const std::string path = PathOf("before.db");
  Store& g = *opened;

  // The school's rows under its keys, the PIP under the person.
  auto hours = g.ListGemeenteHours();
  ASSERT_TRUE(hours.ok() && hours->size() == 1u);
  EXPECT_EQ(hours->front().learner_id, kSchoolA + "~L2");
  EXPECT_EQ(hours->front().id,
            exports::GemeenteHoursId("0363", kSchoolA + "~L2", Date{2026, 11, 30}));
  auto person = g.PersonByBsn(ValidBsn(1));
  ASSERT_TRUE(person.ok() && person->has_value());
  auto pips = g.ListPips();
  ASSERT_TRUE(pips.ok() && pips->size() == 1u);
  EXPECT_EQ(pips->front().learner_id, **person);
  auto decisions = g.ListGemeenteDecisions();
  ASSERT_TRUE(decisions.ok() && decisions->size() == 1u);
  EXPECT_EQ(decisions->front().learner_id, kSchoolA + "~L2");
  // The change log agrees with the typed rows (the dump reads both).
  auto dump = g.CanonicalDump();
  ASSERT_TRUE(dump.ok()) << dump.status().ToString();
  EXPECT_NE(dump->find("gemeente_pip gemeente/0363/pip/" + **person), std::string::npos) << *dump;
  EXPECT_EQ(dump->find("gemeente/0363/pip/L2"), std::string::npos) << *dump;
  EXPECT_TRUE(g.VerifyAudit()->ok());

  // The school is served both, under its own keys, once.
  auto served = g.AddressedTo(kSchoolA, 0, 100);
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  ASSERT_EQ(served->versions.size(), 2u);
  for (const VersionedRecord& v : served->versions) {
    if (const auto* p = std::get_if<exports::GemeentePip>(&v.record)) {
      EXPECT_EQ(*p, PipOf("L2"));
    } else {
      EXPECT_EQ(std::get<exports::GemeenteDecision>(v.record).id,
                exports::GemeenteDecisionId("0363", "X", "L2"));
    }
  }
  // Done once: opened again, nothing changes.
  const std::string first = *dump;
  opened.reset();
  auto again = Store::Open(path, Options());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->CanonicalDump(), first);
}

// A record about a person served to a school once per key it has for them
// (a learner enrolled twice): a page ends with the last outbox entry that
// fits, never with more versions than asked for.
TEST_F(EndpointTest, APageHoldsNoMoreVersionsThanAskedForWhenAPersonHasTwoKeys) {
  Receive(kSchoolA, testing::SampleGemeenteHours("L2", 1, "0363", 40));
  Receive(kSchoolA, testing::SampleGemeenteHours("L9", 1, "0363", 10));  // the same person
  Receive(kSchoolA, testing::SampleGemeenteHours("L3", 3, "0363", 20));
  ASSERT_TRUE(gemeente_
                  ->SetPips(Actor{Role::kGemeente, "ambtenaar"},
                            std::vector{PipOf(PersonOf(1)), PipOf(PersonOf(3))})
                  .ok());
  std::multiset<std::string> served;
  int64_t after = 0;
  for (int pages = 0;; ++pages) {
    ASSERT_LT(pages, 5) << "no progress";
    auto page = gemeente_->AddressedTo(kSchoolA, after, 2);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->versions.size(), 2u);
    for (const auto& v : page->versions) {
      served.insert(std::get<exports::GemeentePip>(v.record).learner_id);
    }
    after = page->next;
    if (!page->more) break;
  }
  EXPECT_EQ(served, (std::multiset<std::string>{"L2", "L3", "L9"}));
}

// A register from before that holds what schema 13 did not yet keep apart:
// two schools' learner L2 (two people), and a school's learner whose key
// looks like a person's ("P2"). Each school's rows become its own; the
// PIP of the key two schools used goes to neither; P2's PIP to its school.
TEST_F(EndpointTest, ARegisterFromBeforeGivesAKeyTwoSchoolsUsedToNeither) {
  const std::string gemeente(kGemeenteReplica);
  std::unique_ptr<Store> opened = FromBefore(
      "shared.db", {{kSchoolA, Role::kAdmin, testing::SampleGemeenteHours("L2", 1, "0363", 40)},
                    {kSchoolB, Role::kAdmin, testing::SampleGemeenteHours("L2", 2, "0363", 30)},
                    {kSchoolA, Role::kAdmin, testing::SampleGemeenteHours("P2", 3, "0363", 20)},
                    {gemeente, Role::kGemeente, PipOf("L2")},
                    {gemeente, Role::kGemeente, PipOf("P2")}});
  ASSERT_NE(opened, nullptr);
  Store& g = *opened;
  // Both schools' L2, each with its own BSN and hours.
  auto hours = g.ListGemeenteHours();
  ASSERT_TRUE(hours.ok());
  std::map<std::string, std::pair<std::string, int64_t>> rows;
  for (const auto& h : *hours) rows[h.learner_id] = {h.bsn, h.attended_hours};
  EXPECT_EQ(rows[kSchoolA + "~L2"], std::make_pair(ValidBsn(1), int64_t{40}));
  EXPECT_EQ(rows[kSchoolB + "~L2"], std::make_pair(ValidBsn(2), int64_t{30}));
  EXPECT_EQ(rows.size(), 3u);
  // L2's PIP to nobody; P2's (A's learner, person 3) to A as P2.
  std::vector<std::string> to_a, to_b;
  auto served_a = g.AddressedTo(kSchoolA, 0, 100);
  auto served_b = g.AddressedTo(kSchoolB, 0, 100);
  ASSERT_TRUE(served_a.ok() && served_b.ok());
  for (const auto& v : served_a->versions) {
    to_a.push_back(std::get<exports::GemeentePip>(v.record).learner_id);
  }
  for (const auto& v : served_b->versions) {
    to_b.push_back(std::get<exports::GemeentePip>(v.record).learner_id);
  }
  EXPECT_EQ(to_a, std::vector<std::string>{"P2"});
  EXPECT_TRUE(to_b.empty());
  auto audit = g.AuditEntries(0, 1000);
  ASSERT_TRUE(audit.ok());
  EXPECT_NE(audit->back().summary.find("1 of the authority's versions left as they came"),
            std::string::npos)
      << audit->back().summary;
  EXPECT_TRUE(g.VerifyAudit()->ok());
}

}  // namespace endpoint_test
}  // namespace presentie::storage
