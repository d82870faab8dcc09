// Benchmark of a school's pull from an authority's endpoint that serves
// many schools (docs/benchmarks.md, "A school's pull at an endpoint of many
// schools"): the pull should cost what the school receives, whatever the
// number of other schools.
//
// In a fresh folder, two gemeente registers (the endpoint's store, as
// `presentie serve` writes it):
//   - "many": a month of --schools schools' submissions — each school's
//     --learners asylum permit holders, their hours and --absences absences
//     each, received as a school's push is (ApplyRemote, from the school's
//     replica) — and the gemeente's answers: a decision on every absence
//     and a PIP for every person;
//   - "alone": the same for one school only (the school measured).
// Measured, --reps times on each: that school's pull of all its answers,
// page by page (Store::AddressedTo, 5,000 per page, as the server's
// /v1/pull reads them). Printed: medians of both, and many/alone; and, for
// comparison, the median time to read the many schools' whole change log,
// which is what an endpoint's pull read before it kept an outbox.
//
// Usage: authority_pull_bench [--schools N] [--learners N] [--absences N]
//                             [--reps N] [--dir D]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/authorities.h"
#include "core/ids.h"
#include "storage/store.h"

namespace fs = std::filesystem;
using presentie::Date;
using presentie::Role;
using presentie::SchoolScopedKey;
using presentie::storage::Actor;
using presentie::storage::Store;
using presentie::storage::VersionedRecord;
namespace exports = presentie::exports;

namespace {

using presentie::bench::Die;
using presentie::bench::Median;
using presentie::bench::Seconds;

constexpr int kPage = 5000;
constexpr uint64_t kBaseMs = 1'790'000'000'000;

struct Flags {
  int schools = 400;
  int learners = 10;
  int absences = 4;
  int reps = 7;
  std::string dir;
};

// A school's replica id: 16 hex digits.
std::string School(int s) {
  char id[17];
  std::snprintf(id, sizeof id, "5c%014x", s);
  return id;
}

// A valid BSN per (school, learner): distinct for every person.
std::string Bsn(int person) {
  for (int base = 100000000 + person * 100;; ++base) {
    const std::string d = std::to_string(base);
    if (presentie::IsValidBsn(d)) return d;
  }
}

VersionedRecord Version(const std::string& writer, uint64_t ms, presentie::storage::Record record) {
  VersionedRecord v;
  v.stamp.vv.Set(writer, 1);
  v.stamp.hlc = presentie::Hlc{ms, 0};
  v.stamp.writer = presentie::Writer{writer, Role::kAdmin, "bench"};
  v.record = std::move(record);
  return v;
}

// School s's month, as its admin's `submit gemeente` writes it.
std::vector<VersionedRecord> MonthOf(int s, const Flags& f) {
  const std::string school = School(s);
  std::vector<VersionedRecord> out;
  uint64_t ms = kBaseMs;
  for (int l = 0; l < f.learners; ++l) {
    const std::string learner = "L" + std::to_string(l);  // the same keys at every school
    const std::string bsn = Bsn(s * f.learners + l);
    exports::GemeenteHours h;
    h.learner_id = learner;
    h.gemeente_code = "0363";
    h.peildatum = Date{2026, 11, 30};
    h.bsn = bsn;
    h.attended_hours = 40;
    h.id = exports::GemeenteHoursId(h.gemeente_code, h.learner_id, h.peildatum);
    out.push_back(Version(school, ++ms, h));
    for (int a = 0; a < f.absences; ++a) {
      exports::GemeenteAbsence x;
      x.lesson_id = "NT2-" + std::to_string(a);
      x.learner_id = learner;
      x.gemeente_code = "0363";
      x.bsn = bsn;
      x.lesson_start = presentie::DateTime{Date{2026, 11, 2 + a % 27}, 9, 0};
      x.minutes_absent = 120;
      x.id = exports::GemeenteAbsenceId(x.gemeente_code, x.lesson_id, x.learner_id);
      out.push_back(Version(school, ++ms, x));
    }
  }
  return out;
}

// An endpoint holding `schools`' months, and the gemeente's answers: a
// decision on every absence and a PIP for every person.
std::unique_ptr<Store> Endpoint(const fs::path& path, const std::vector<int>& schools,
                                const Flags& f) {
  auto store = Store::Create(path.string(),
                             presentie::storage::InitOptions{"Gemeente", "", Role::kGemeente});
  if (!store.ok()) Die(store.status().ToString());
  for (int s : schools) {
    const std::vector<VersionedRecord> month = MonthOf(s, f);
    for (size_t at = 0; at < month.size(); at += kPage) {
      const size_t n = std::min<size_t>(kPage, month.size() - at);
      auto applied = (*store)->ApplyRemote(School(s), std::span(month).subspan(at, n), {});
      if (!applied.ok()) Die(applied.status().ToString());
    }
  }
  const Actor gemeente{Role::kGemeente, "bench"};
  std::vector<exports::GemeenteDecision> decisions;
  auto absences = (*store)->ListGemeenteAbsences();
  if (!absences.ok()) Die(absences.status().ToString());
  for (const exports::GemeenteAbsence& a : *absences) {
    exports::GemeenteDecision d;
    d.lesson_id = a.lesson_id;
    d.learner_id = a.learner_id;
    d.gemeente_code = a.gemeente_code;
    d.id = exports::GemeenteDecisionId(d.gemeente_code, d.lesson_id, d.learner_id);
    d.value = presentie::Classification::kExcused;
    d.decided_on = Date{2026, 12, 1};
    decisions.push_back(std::move(d));
  }
  auto decided = (*store)->DecideAbsences(gemeente, decisions);
  if (!decided.ok()) Die(decided.status().ToString());
  std::vector<exports::GemeentePip> pips;
  for (int s : schools) {
    for (int l = 0; l < f.learners; ++l) {
      auto person = (*store)->PersonByBsn(Bsn(s * f.learners + l));
      if (!person.ok() || !person->has_value()) Die("a person sent was not held");
      exports::GemeentePip p;
      p.learner_id = **person;
      p.gemeente_code = "0363";
      p.id = exports::GemeentePipId(p.gemeente_code, p.learner_id);
      p.route = presentie::Route::kB1;
      p.level = presentie::Level::kB1;
      p.estimated_hours = 600;
      p.lessons_per_week = 3;
      p.decided_on = Date{2026, 12, 1};
      pips.push_back(std::move(p));
    }
  }
  auto set = (*store)->SetPips(gemeente, pips);
  if (!set.ok()) Die(set.status().ToString());
  return std::move(store).value();
}

// What an endpoint's pull read before the outbox: the whole change log
// after the cursor, page by page, each body opened — from which the handler
// then dropped what the school might not see. The seconds it took.
double ReadWholeLog(Store& store) {
  const auto start = std::chrono::steady_clock::now();
  int64_t after = 0;
  for (;;) {
    auto page = store.ChangesAfter(after, kPage);
    if (!page.ok()) Die(page.status().ToString());
    if (page->empty()) break;
    after = page->back().seq;
    if (page->size() < static_cast<size_t>(kPage)) break;
  }
  return Seconds(start, std::chrono::steady_clock::now());
}

// One school's whole pull: the versions served and the seconds it took.
std::pair<size_t, double> Pull(Store& store, const std::string& school) {
  const auto start = std::chrono::steady_clock::now();
  size_t served = 0;
  int64_t after = 0;
  for (;;) {
    auto page = store.AddressedTo(school, after, kPage);
    if (!page.ok()) Die(page.status().ToString());
    served += page->versions.size();
    after = page->next;
    if (!page->more) break;
  }
  return {served, Seconds(start, std::chrono::steady_clock::now())};
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--schools") {
      f.schools = std::stoi(next());
    } else if (a == "--learners") {
      f.learners = std::stoi(next());
    } else if (a == "--absences") {
      f.absences = std::stoi(next());
    } else if (a == "--reps") {
      f.reps = std::stoi(next());
    } else if (a == "--dir") {
      f.dir = next();
    } else {
      Die("unknown option " + a);
    }
  }
  if (f.schools < 1 || f.learners < 1 || f.absences < 0 || f.reps < 1) Die("bad counts");
  const fs::path dir = f.dir.empty() ? fs::temp_directory_path() /
                                           ("authority_pull_bench." + std::to_string(getpid()))
                                     : fs::path(f.dir);
  fs::remove_all(dir);
  fs::create_directories(dir);

  // The school measured is the middle one: its rows are neither first nor
  // last in the many schools' log.
  const int measured = f.schools / 2;
  std::vector<int> all(static_cast<size_t>(f.schools));
  for (int s = 0; s < f.schools; ++s) all[static_cast<size_t>(s)] = s;
  const auto setup = std::chrono::steady_clock::now();
  std::unique_ptr<Store> many = Endpoint(dir / "many.db", all, f);
  std::unique_ptr<Store> alone = Endpoint(dir / "alone.db", {measured}, f);
  std::printf("setup: %d schools x %d learners x (1 hours + %d absences), answered: %.1f s\n",
              f.schools, f.learners, f.absences, Seconds(setup, std::chrono::steady_clock::now()));

  std::vector<double> t_many, t_alone, t_log;
  size_t served_many = 0, served_alone = 0;
  for (int r = 0; r < f.reps; ++r) {
    auto [a, ta] = Pull(*alone, School(measured));
    auto [m, tm] = Pull(*many, School(measured));
    served_alone = a;
    served_many = m;
    t_alone.push_back(ta);
    t_many.push_back(tm);
    t_log.push_back(ReadWholeLog(*many));
  }
  if (served_many != served_alone) {
    Die("the school was served " + std::to_string(served_many) + " versions among many and " +
        std::to_string(served_alone) + " alone");
  }
  const double many_s = Median(t_many), alone_s = Median(t_alone);
  std::printf("one school's pull of its %zu answers (median of %d):\n", served_many, f.reps);
  std::printf("  endpoint of %4d schools: %8.3f ms\n", f.schools, many_s * 1e3);
  std::printf("  endpoint of    1 school : %8.3f ms\n", alone_s * 1e3);
  std::printf("  ratio many/alone: %.2f\n", many_s / alone_s);
  std::printf(
      "for comparison, reading the many schools' whole change log (what a pull read\n"
      "before the outbox): %.1f ms, %.0fx the school's pull\n",
      Median(t_log) * 1e3, Median(t_log) / many_s);
  many.reset();
  alone.reset();
  fs::remove_all(dir);
  return 0;
}
