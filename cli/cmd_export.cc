// presentie export duo|gemeente: the files the authorities take today
// (docs/exports.md), made from this register offline; and presentie submit
// duo|gemeente, the same rows as records for the authorities' endpoints. What is in them, and
// why, is core/authorities/ and docs/exports.md; this file reads the register,
// writes the file whole or not at all (mode 0600: it holds BSNs), and leaves
// an audit entry that says which file was made — never a BSN.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/authorities.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

namespace fs = std::filesystem;

Status SystemError(const std::string& what, const std::string& path) {
  return FailedPrecondition(fmt::format("{} '{}': {}", what, path, std::strerror(errno)));
}

// Writes `content` as the file `path`, mode 0600, whole or not at all: into a
// new temporary file beside it, synced, then linked into place (which fails
// if `path` exists) or, with `replace`, renamed over it. The folder is synced
// after. kAlreadyExists names the file when it is there and !replace.
Status WriteWholeFile(const fs::path& path, std::string_view content, bool replace) {
  if (!replace && fs::exists(path)) {
    return AlreadyExists(fmt::format(
        "'{}' exists already; pass --replace to write it again, or --dir to write elsewhere",
        path.string()));
  }
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const fs::path tmp = dir / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return SystemError("cannot create a file in", dir.string());
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = SystemError("cannot write", tmp.string());
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = SystemError("cannot sync", tmp.string());
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  ::close(fd);
  const int placed =
      replace ? ::rename(tmp.c_str(), path.c_str()) : ::link(tmp.c_str(), path.c_str());
  if (placed != 0) {
    Status s = errno == EEXIST
                   ? AlreadyExists(fmt::format("'{}' exists already; pass --replace to write it "
                                               "again",
                                               path.string()))
                   : SystemError("cannot write", path.string());
    ::unlink(tmp.c_str());
    return s;
  }
  if (!replace) ::unlink(tmp.c_str());
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

// Opens the register and checks that it is the admin's: the files carry BSNs
// and go to an authority, which is the admin's job (docs/exports.md).
Result<std::unique_ptr<storage::Store>> OpenAsAdmin(const Context& ctx) {
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, ctx.OpenStore());
  if (store->info().role != Role::kAdmin) {
    return PermissionDenied(fmt::format(
        "only the school admin hands data to the authorities (files, submissions); this "
        "register's role is {} (see "
        "presentie config show)",
        ToString(store->info().role)));
  }
  return store;
}

Result<Date> DateOption(const std::string& text, std::string_view flag) {
  Result<Date> d = ParseDate(text);
  if (!d.ok()) return InvalidArgument(fmt::format("{}: {}", flag, d.status().message()));
  return d;
}

// "1 row", "2 rows".
std::string Count(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Who a file is about, and which part of it is in doubt, for the summary.
struct Written {
  fs::path path;
  size_t rows = 0;
  size_t learners = 0;
  int64_t disputed_minutes = 0;
};

void WarnDisputed(const Context& ctx, int64_t minutes, std::string_view again) {
  if (minutes <= 0) return;
  ctx.err() << fmt::format(
      "presentie: warning: {} minutes here are of lessons whose versions disagree on presence; "
      "they count as the rules chose. Resolve them (presentie conflicts list) and {}.\n",
      minutes, again);
}

int Report(const Context& ctx, const Written& w, const Json& extra, std::string_view next) {
  if (ctx.json()) {
    Json j = {{"file", w.path.string()},
              {"rows", w.rows},
              {"learners", w.learners},
              {"disputed_minutes", w.disputed_minutes}};
    j.update(extra);
    PrintJson(ctx.out(), j);
  } else {
    ctx.out() << fmt::format("Wrote {}: {} ({}).\n", w.path.string(), Count(w.rows, "row", "rows"),
                             Count(w.learners, "learner", "learners"));
    ctx.Say(next);
  }
  WarnDisputed(ctx, w.disputed_minutes, "make the file again with --replace");
  return kExitOk;
}

// Where a file goes, for both commands.
struct FileOptions {
  std::string dir = ".";
  bool replace = false;
};

void AddFileOptions(CLI::App* app, FileOptions& f) {
  app->add_option("--dir", f.dir, "Folder to write the file in (default: the current one)")
      ->option_text("DIR");
  app->add_flag("--replace", f.replace, "Write the file again if it exists");
}

// DUO's rows on `when`: one per learner R1 routes to DUO and course of
// theirs, this year's hours up to `when` (core/authorities/). The file and the
// submission are made from these same rows.
Result<std::vector<exports::DuoRow>> DuoRowsOn(storage::Store& store, Date when) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<Course> courses, store.ListCourses());
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<Lesson> lessons, store.ListLessons(std::nullopt));
  std::map<std::string, exports::DuoCourse> by_id;
  for (Course& c : courses) by_id[c.id].course = std::move(c);
  for (const Lesson& l : lessons) {
    auto it = by_id.find(l.course_id);
    if (it == by_id.end()) continue;
    exports::DuoCourse& dc = it->second;
    if (!dc.first_lesson || l.start.date < *dc.first_lesson) dc.first_lesson = l.start.date;
    if (!dc.last_lesson || l.start.date > *dc.last_lesson) dc.last_lesson = l.start.date;
  }
  std::vector<exports::DuoCourse> duo_courses;
  for (auto& [id, dc] : by_id) duo_courses.push_back(std::move(dc));
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<storage::LearnerLessons> all, store.LessonsByLearner());
  std::vector<exports::DuoRow> rows;
  for (const storage::LearnerLessons& ll : all) {
    for (exports::DuoRow& r : exports::DuoRowsFor(ll.learner, ll.lines, duo_courses, when)) {
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

// The absences `derive` finds in a learner's lessons, and, for each one
// sent earlier (`sent`) that `in_scope` still covers but that is no longer
// among them, its withdrawal: 0 minutes, and what `withdraw` clears. Every
// sent absence with minutes must be either current or withdrawn, so that
// the endpoint's view never keeps one the register no longer has.
// `*withdrawn` counts the withdrawals.
template <typename Absence, typename Derive, typename InScope, typename Withdraw>
Result<std::vector<Absence>> AbsencesWithWithdrawals(storage::Store& store, Derive derive,
                                                     Result<std::vector<Absence>> sent,
                                                     InScope in_scope, Withdraw withdraw,
                                                     size_t* withdrawn) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<storage::LearnerLessons> all, store.LessonsByLearner());
  PRESENTIE_RETURN_IF_ERROR(sent.status());
  std::vector<Absence> out;
  std::set<std::string, std::less<>> ids;
  for (const storage::LearnerLessons& ll : all) {
    for (Absence& a : derive(ll)) {
      ids.insert(a.id);
      out.push_back(std::move(a));
    }
  }
  *withdrawn = 0;
  for (Absence& a : *sent) {
    if (a.minutes_absent == 0 || !in_scope(a) || ids.contains(a.id)) continue;
    a.minutes_absent = 0;
    withdraw(a);
    out.push_back(std::move(a));
    ++*withdrawn;
  }
  return out;
}

// The school's classified absences for DUO in the year of `when` up to it
// (core/authorities/), and, for one sent earlier that is no longer an absence
// or no longer classified, its withdrawal (0 minutes); `*withdrawn` counts
// those.
Result<std::vector<exports::DuoAbsence>> DuoAbsencesOn(storage::Store& store, Date when,
                                                       size_t* withdrawn) {
  return AbsencesWithWithdrawals<exports::DuoAbsence>(
      store,
      [&](const storage::LearnerLessons& ll) {
        return exports::DuoAbsencesFor(ll.learner, ll.lines, when);
      },
      store.ListDuoAbsences(),
      [&](const exports::DuoAbsence& a) {
        return a.lesson_start.date.year == when.year && a.lesson_start.date <= when;
      },
      [](exports::DuoAbsence& a) { a.classification = Classification::kNotApplicable; },
      withdrawn);
}

// How many rows and learners, and the disputed minutes among them.
Written Summarize(const std::vector<exports::DuoRow>& rows) {
  Written w;
  w.rows = rows.size();
  std::string last_learner;
  for (const exports::DuoRow& r : rows) {
    if (r.learner_id != last_learner) ++w.learners;  // rows come per learner
    last_learner = r.learner_id;
    w.disputed_minutes += r.disputed_minutes;
  }
  return w;
}

struct DuoOptions {
  std::string date;
  std::string bow_number;
  FileOptions file;
};

int RunDuo(const Context& ctx, const DuoOptions& o) {
  auto store = OpenAsAdmin(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  Date when = LocalToday();
  if (!o.date.empty()) {
    auto d = DateOption(o.date, "--date");
    if (!d.ok()) return ctx.Fail(d.status());
    when = *d;
  }
  const std::string bow = o.bow_number.empty() ? (*store)->info().bow_number : o.bow_number;
  if (bow.empty()) {
    return ctx.Fail(FailedPrecondition(
        "DUO's file is named after the school's BoW number, and none is set: set it once with "
        "`presentie config set bow-number NUMBER`, or pass --bow-number"));
  }
  auto name = exports::DuoFileName(bow, when);
  if (!name.ok()) return ctx.Fail(name.status());

  auto rows = DuoRowsOn(**store, when);
  if (!rows.ok()) return ctx.Fail(rows.status());
  Written w = Summarize(*rows);
  w.path = fs::path(o.file.dir) / *name;
  if (Status s = WriteWholeFile(w.path, exports::DuoCsv(*rows), o.file.replace); !s.ok()) {
    return ctx.Fail(s);
  }
  const Status logged = (*store)->LogExport(
      ctx.ActorFor(**store), "export.duo",
      fmt::format("{}: {}, {}, hours of {} up to {}", name->c_str(), Count(w.rows, "row", "rows"),
                  Count(w.learners, "learner", "learners"), when.year, FormatDate(when)));
  if (!logged.ok()) {
    fs::remove(w.path);  // no file leaves without its audit entry
    return ctx.Fail(logged);
  }
  return Report(ctx, w, {{"as_of", FormatDate(when)}, {"bow_number", bow}},
                "Upload it in Mijn DUO: Uitwisselen bestanden, Versturen bestand, soort "
                "'inschrijvingen'. Hours are whole hours attended on site this year, rounded "
                "down once (R5).");
}

// The gemeente's rows on `peildatum`: one per asylum permit holder of
// `code` (core/authorities/). The file and the submission are made from these.
Result<std::vector<exports::GemeenteRow>> GemeenteRowsOn(storage::Store& store,
                                                         std::string_view code, Date peildatum) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<storage::LearnerLessons> all, store.LessonsByLearner());
  std::vector<exports::GemeenteRow> rows;
  for (const storage::LearnerLessons& ll : all) {
    auto row = exports::GemeenteRowFor(ll.learner, ll.lines, code, peildatum);
    if (row.has_value()) rows.push_back(std::move(*row));
  }
  return rows;
}

// The absences of the gemeente's residents up to `peildatum` as the gemeente
// receives them (core/authorities/), and, for an absence sent earlier that is
// no longer one (an edit since), its withdrawal: the same record with 0
// minutes. `*withdrawn` counts those.
Result<std::vector<exports::GemeenteAbsence>> GemeenteAbsencesOn(storage::Store& store,
                                                                 std::string_view code,
                                                                 Date peildatum,
                                                                 size_t* withdrawn) {
  return AbsencesWithWithdrawals<exports::GemeenteAbsence>(
      store,
      [&](const storage::LearnerLessons& ll) {
        return exports::GemeenteAbsencesFor(ll.learner, ll.lines, code, peildatum);
      },
      store.ListGemeenteAbsences(),
      [&](const exports::GemeenteAbsence& a) {
        return a.gemeente_code == code && a.lesson_start.date <= peildatum;
      },
      [](exports::GemeenteAbsence& a) { a.notified_in_advance = false; }, withdrawn);
}

struct GemeenteOptions {
  std::string gemeente;
  std::string peildatum;
  std::string format = "csv";
  FileOptions file;
};

Json GemeenteJson(const storage::RegisterInfo& info, std::string_view code, Date peildatum,
                  const std::vector<exports::GemeenteRow>& rows) {
  Json list = Json::array();
  for (const exports::GemeenteRow& r : rows) {
    list.push_back({{"bsn", r.bsn},
                    {"deelgenomen_uren", WholeHours(r.attended_minutes)},
                    {"alfabetisering_uren", WholeHours(r.literacy_minutes)},
                    {"geoorloofd_verzuim_uren", WholeHours(r.excused_minutes)},
                    {"ongeoorloofd_verzuim_uren", WholeHours(r.unexcused_minutes)},
                    {"verzuim_niet_beoordeeld_uren", WholeHours(r.unclassified_minutes)},
                    {"waarvan_vooraf_afgemeld_uren", WholeHours(r.notified_minutes)}});
  }
  return {{"brin", info.brin},
          {"gemeentecode", std::string(code)},
          {"peildatum", FormatDate(peildatum)},
          {"inburgeraars", list}};
}

int RunGemeente(const Context& ctx, const GemeenteOptions& o) {
  if (Status s = ValidateGemeenteCode(o.gemeente); !s.ok()) {
    return ctx.Fail(InvalidArgument(fmt::format("--gemeente: {}", s.message())));
  }
  auto peildatum = DateOption(o.peildatum, "--peildatum");
  if (!peildatum.ok()) return ctx.Fail(peildatum.status());
  auto store = OpenAsAdmin(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto found = GemeenteRowsOn(**store, o.gemeente, *peildatum);
  if (!found.ok()) return ctx.Fail(found.status());
  const std::vector<exports::GemeenteRow>& rows = *found;
  Written w;
  for (const exports::GemeenteRow& r : rows) w.disputed_minutes += r.disputed_minutes;
  w.rows = rows.size();
  w.learners = rows.size();
  std::string date = FormatDate(*peildatum);
  date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
  const std::string name = fmt::format("gemeente{}Peildatum{}.{}", o.gemeente, date, o.format);
  w.path = fs::path(o.file.dir) / name;
  const std::string content =
      o.format == "json"
          ? GemeenteJson((*store)->info(), o.gemeente, *peildatum, rows).dump(2) + "\n"
          : exports::GemeenteCsv(rows);
  if (Status s = WriteWholeFile(w.path, content, o.file.replace); !s.ok()) return ctx.Fail(s);
  const Status logged = (*store)->LogExport(
      ctx.ActorFor(**store), "export.gemeente",
      fmt::format("{}: {}, hours up to {}", name, Count(w.rows, "learner", "learners"),
                  FormatDate(*peildatum)));
  if (!logged.ok()) {
    fs::remove(w.path);
    return ctx.Fail(logged);
  }
  return Report(ctx, w, {{"gemeente", o.gemeente}, {"peildatum", FormatDate(*peildatum)}},
                "Absences count as excused or unexcused only where the gemeente classified "
                "them; the rest are 'niet beoordeeld' (R1: the gemeente classifies). No reason "
                "leaves the school.");
}

// presentie submit duo: the same rows as DUO's file, as records for DUO's
// endpoint (docs/authorities.md), written here; `presentie sync --remote
// <DUO's endpoint>` sends them. Offline like everything but sync.
int RunSubmitDuo(const Context& ctx, const std::string& date) {
  auto store = OpenAsAdmin(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  Date when = LocalToday();
  if (!date.empty()) {
    auto d = DateOption(date, "--date");
    if (!d.ok()) return ctx.Fail(d.status());
    when = *d;
  }
  auto rows = DuoRowsOn(**store, when);
  if (!rows.ok()) return ctx.Fail(rows.status());
  std::vector<exports::DuoHours> records;
  records.reserve(rows->size());
  for (const exports::DuoRow& r : *rows) records.push_back(exports::DuoHoursOf(r, when));
  size_t withdrawn = 0;
  auto absences = DuoAbsencesOn(**store, when, &withdrawn);
  if (!absences.ok()) return ctx.Fail(absences.status());
  auto submitted = (*store)->SubmitDuo(ctx.ActorFor(**store), records, *absences);
  if (!submitted.ok()) return ctx.Fail(submitted.status());
  const storage::Store::SubmitResult* result = &submitted->hours;
  const storage::Store::SubmitResult& absent = submitted->absences;
  const Written w = Summarize(*rows);
  const std::string month = FormatDate(when).substr(0, 7);
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"endpoint", "duo"},
                          {"month", month},
                          {"as_of", FormatDate(when)},
                          {"rows", w.rows},
                          {"learners", w.learners},
                          {"new", result->added},
                          {"changed", result->changed},
                          {"unchanged", result->unchanged},
                          {"absences",
                           {{"records", absences->size()},
                            {"new", absent.added},
                            {"changed", absent.changed},
                            {"unchanged", absent.unchanged},
                            {"withdrawn", withdrawn}}},
                          {"disputed_minutes", w.disputed_minutes}});
  } else {
    ctx.out() << fmt::format("DUO, {} (hours up to {}): {} new, {} changed, {} unchanged ({}).\n",
                             month, FormatDate(when), result->added, result->changed,
                             result->unchanged, Count(w.learners, "learner", "learners"));
    ctx.out() << fmt::format(
        "Absences as the school classified them: {} new, {} changed, {} unchanged{}.\n",
        absent.added, absent.changed, absent.unchanged,
        withdrawn == 0 ? "" : fmt::format(" ({} withdrawn)", withdrawn));
    ctx.Say(result->added + result->changed + absent.added + absent.changed == 0
                ? "Nothing new to send."
                : "Send them with: presentie sync --remote <DUO's endpoint>. A changed row that "
                  "DUO already has goes as a correction (presentie status counts them).");
  }
  WarnDisputed(ctx, w.disputed_minutes, "submit again");
  return kExitOk;
}

// presentie submit gemeente: the rows of the gemeente's file as records for
// that gemeente's endpoint.
int RunSubmitGemeente(const Context& ctx, const std::string& code, const std::string& date) {
  if (Status s = ValidateGemeenteCode(code); !s.ok()) {
    return ctx.Fail(InvalidArgument(fmt::format("--gemeente: {}", s.message())));
  }
  auto peildatum = DateOption(date, "--peildatum");
  if (!peildatum.ok()) return ctx.Fail(peildatum.status());
  auto store = OpenAsAdmin(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto rows = GemeenteRowsOn(**store, code, *peildatum);
  if (!rows.ok()) return ctx.Fail(rows.status());
  std::vector<exports::GemeenteHours> records;
  int64_t disputed = 0;
  for (const exports::GemeenteRow& r : *rows) {
    records.push_back(exports::GemeenteHoursOf(r));
    disputed += r.disputed_minutes;
  }
  size_t withdrawn = 0;
  auto absences = GemeenteAbsencesOn(**store, code, *peildatum, &withdrawn);
  if (!absences.ok()) return ctx.Fail(absences.status());
  auto result = (*store)->SubmitGemeente(ctx.ActorFor(**store), records, *absences);
  if (!result.ok()) return ctx.Fail(result.status());
  const storage::Store::SubmitResult& hours = result->hours;
  const storage::Store::SubmitResult& absent = result->absences;
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"endpoint", "gemeente"},
                          {"gemeente", code},
                          {"peildatum", FormatDate(*peildatum)},
                          {"rows", records.size()},
                          {"new", hours.added},
                          {"changed", hours.changed},
                          {"unchanged", hours.unchanged},
                          {"absences",
                           {{"records", absences->size()},
                            {"new", absent.added},
                            {"changed", absent.changed},
                            {"unchanged", absent.unchanged},
                            {"withdrawn", withdrawn}}},
                          {"disputed_minutes", disputed}});
  } else {
    ctx.out() << fmt::format("Gemeente {}, hours up to {}: {} new, {} changed, {} unchanged.\n",
                             code, FormatDate(*peildatum), hours.added, hours.changed,
                             hours.unchanged);
    ctx.out() << fmt::format(
        "Absences for the gemeente to classify: {} new, {} changed, {} unchanged{}.\n",
        absent.added, absent.changed, absent.unchanged,
        withdrawn == 0 ? "" : fmt::format(" ({} withdrawn: no longer absences)", withdrawn));
    ctx.Say(hours.added + hours.changed + absent.added + absent.changed == 0
                ? "Nothing new to send."
                : "Send them with: presentie sync --remote <the gemeente's endpoint>. Only this "
                  "gemeente's residents are in them; no reason leaves the school. The same sync "
                  "brings back the gemeente's decisions on earlier absences.");
  }
  WarnDisputed(ctx, disputed, "submit again");
  return kExitOk;
}

// presentie submit bow: the planning of every course R1 routes to Blik op
// Werk (B1-route, Z-route, Wi2013) and the qualifications of the teachers
// who give them, as records for BoW's endpoint. No learner data.
int RunSubmitBow(const Context& ctx) {
  auto store = OpenAsAdmin(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto courses = (*store)->ListCourses();
  if (!courses.ok()) return ctx.Fail(courses.status());
  auto lessons = (*store)->ListLessons(std::nullopt);
  if (!lessons.ok()) return ctx.Fail(lessons.status());
  auto qualifications = (*store)->ListQualifications();
  if (!qualifications.ok()) return ctx.Fail(qualifications.status());
  std::vector<exports::BowPlanning> planning;
  size_t not_routed = 0;
  for (const Course& c : *courses) {
    if (auto p = exports::BowPlanningFor(c, *lessons)) {
      planning.push_back(std::move(*p));
    } else {
      ++not_routed;
    }
  }
  const std::vector<exports::BowQualification> sent =
      exports::BowQualificationsFor(*qualifications, planning);
  auto result = (*store)->SubmitBow(ctx.ActorFor(**store), planning, sent);
  if (!result.ok()) return ctx.Fail(result.status());
  const storage::Store::SubmitResult& p = result->planning;
  const storage::Store::SubmitResult& q = result->qualifications;
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"endpoint", "bow"},
                          {"courses", planning.size()},
                          {"courses_not_for_bow", not_routed},
                          {"planning",
                           {{"new", p.added}, {"changed", p.changed}, {"unchanged", p.unchanged}}},
                          {"qualifications",
                           {{"records", sent.size()},
                            {"new", q.added},
                            {"changed", q.changed},
                            {"unchanged", q.unchanged}}}});
  } else {
    ctx.out() << fmt::format("Blik op Werk, course planning: {} new, {} changed, {} unchanged ({}; "
                             "{} not for BoW: onderwijsroute, or nothing planned yet).\n",
                             p.added, p.changed, p.unchanged,
                             Count(planning.size(), "course", "courses"), not_routed);
    ctx.out() << fmt::format(
        "Qualifications of their teachers: {} new, {} changed, {} unchanged.\n", q.added,
        q.changed, q.unchanged);
    ctx.Say(p.added + p.changed + q.added + q.changed == 0
                ? "Nothing new to send."
                : "Send them with: presentie sync --remote <BoW's endpoint>. No learner data is "
                  "in them.");
  }
  return kExitOk;
}

}  // namespace

void AddSubmitCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "submit", "Prepare what an authority's endpoint receives at the next sync (admin only)");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie submit duo\npresentie sync --remote duo\n"
              "presentie submit gemeente --gemeente 0363 --peildatum 2026-11-30\n"
              "presentie submit bow");
  auto date = std::make_shared<std::string>();
  CLI::App* d = noun->add_subcommand(
      "duo",
      "This month's DUO rows — the rows of export duo — as records for DUO's endpoint; only "
      "what changed is written");
  SetExamples(d, "presentie submit duo\npresentie submit duo --date 2026-11-30 --json");
  d->add_option("--date", *date, "Hours up to and including this day (default: today)")
      ->option_text("YYYY-MM-DD");
  d->callback([action, date] {
    *action = [date](const Context& ctx) { return RunSubmitDuo(ctx, *date); };
  });

  auto code = std::make_shared<std::string>();
  auto peildatum = std::make_shared<std::string>();
  CLI::App* g = noun->add_subcommand(
      "gemeente",
      "The rows of export gemeente — one per asylum permit holder of that gemeente — as records "
      "for its endpoint; only what changed is written");
  SetExamples(g, "presentie submit gemeente --gemeente 0363 --peildatum 2026-11-30");
  g->add_option("--gemeente", *code, "The gemeente's CBS code")->option_text("CODE")->required();
  g->add_option("--peildatum", *peildatum, "Reference date: lessons up to and including it")
      ->option_text("YYYY-MM-DD")
      ->required();
  g->callback([action, code, peildatum] {
    *action = [code, peildatum](const Context& ctx) {
      return RunSubmitGemeente(ctx, *code, *peildatum);
    };
  });

  CLI::App* b = noun->add_subcommand(
      "bow",
      "The planning of the B1-route, Z-route and Wi2013 courses and their teachers' "
      "qualifications, as records for Blik op Werk's endpoint; only what changed is written");
  SetExamples(b, "presentie submit bow\npresentie sync --remote bow");
  b->callback([action] { *action = [](const Context& ctx) { return RunSubmitBow(ctx); }; });
}

void AddExportCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "export", "The files the authorities take today: DUO's monthly CSV, the gemeente's report");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie export duo\n"
              "presentie export gemeente --gemeente 0363 --peildatum 2026-11-30");

  auto duo = std::make_shared<DuoOptions>();
  CLI::App* d = noun->add_subcommand(
      "duo",
      "DUO's monthly file <BoW number>Aanlevering<yyyymmdd>.csv: this year's hours per learner "
      "and course, for the learners R1 routes to DUO (admin only)");
  SetExamples(d,
              "presentie config set bow-number 123456   # once\n"
              "presentie export duo\n"
              "presentie export duo --date 2026-11-30 --dir ~/duo --json");
  d->add_option("--date", duo->date,
                "The delivery date: hours up to and including it (default: today)")
      ->option_text("YYYY-MM-DD");
  d->add_option("--bow-number", duo->bow_number,
                "The school's BoW number (default: the one set with config set bow-number)")
      ->option_text("NUMBER");
  AddFileOptions(d, duo->file);
  d->callback([action, duo] { *action = [duo](const Context& ctx) { return RunDuo(ctx, *duo); }; });

  auto gem = std::make_shared<GemeenteOptions>();
  CLI::App* g = noun->add_subcommand(
      "gemeente",
      "Per asylum permit holder of one gemeente: attended, literacy and absence hours up to a "
      "reference date (admin only)");
  SetExamples(g,
              "presentie export gemeente --gemeente 0363 --peildatum 2026-11-30\n"
              "presentie export gemeente --gemeente 0363 --peildatum 2026-11-30 --format json");
  g->add_option("--gemeente", gem->gemeente, "The gemeente's CBS code")
      ->option_text("CODE")
      ->required();
  g->add_option("--peildatum", gem->peildatum, "Reference date: lessons up to and including it")
      ->option_text("YYYY-MM-DD")
      ->required();
  g->add_option("--format", gem->format, "csv (default) or json")
      ->check(CLI::IsMember({"csv", "json"}));
  AddFileOptions(g, gem->file);
  g->callback(
      [action, gem] { *action = [gem](const Context& ctx) { return RunGemeente(ctx, *gem); }; });
}

}  // namespace presentie::cli
