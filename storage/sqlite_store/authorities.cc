// What the register sends to and receives from DUO, the gemeente and
// Blik op Werk: submissions as versions of their own kinds, the records
// authorities send back, and the school's settings they need.
#include "storage/sqlite_store/write.h"

namespace presentie::storage::impl {

namespace {

// "<what>s: <n> new, <n> changed, <n> unchanged": an audit summary, counts
// only (the rows hold BSNs).
std::string CountsText(std::string_view what, const Store::SubmitResult& r) {
  return std::string(what) + "s: " + std::to_string(r.added) + " new, " +
         std::to_string(r.changed) + " changed, " + std::to_string(r.unchanged) + " unchanged";
}

// The learner with this id; kNotFound naming `what` when there is none here.
Result<Learner> LearnerFor(Store& store, std::string_view learner_id, std::string_view what) {
  Result<Learner> learner = store.GetLearner(learner_id);
  if (!learner.ok() && learner.status().code() == StatusCode::kNotFound) {
    return NotFound(std::string(what) + ": " + learner.status().message() +
                    "; nothing was written");
  }
  return learner;
}

}  // namespace

template <typename Row>
Status SqliteStore::CheckRow(const Row& h, std::string_view what) {
  // Unqualified: found by argument (exports:: for submissions, presentie::
  // for a qualification). At an endpoint, a record held under a school's
  // scoped keys (a decision about its absence) is checked as the school
  // will receive it.
  Row checked = h;
  if constexpr (kinds::HasRekey<Row> && !kinds::AboutPerson<Row>) {
    if (IsEndpoint()) {
      kinds::KindTraits<Row>::Rekey(checked, [](std::string& key) {
        if (std::optional<ScopedKey> k = SplitSchoolScopedKey(key)) key = std::string(k->key);
      });
    }
  }
  if (Status s = Validate(checked); !s.ok()) return s.WithContext("nothing was written");
  // At an endpoint, a record about a person is about one held here, and
  // where it names a BSN, that person's.
  if constexpr (kinds::AboutPerson<Row>) {
    if (IsEndpoint()) {
      const std::optional<int64_t> n = PersonNumber(h.learner_id);
      PRESENTIE_ASSIGN_OR_RETURN(
          CachedStatement person,
          db_->Cached("SELECT bsn_hash = bsn_key(?2) FROM person WHERE n = ?1"));
      person->BindInt(1, n.value_or(0));
      std::string bsn;
      if constexpr (requires { h.bsn; }) bsn = NormalBsn(h.bsn);
      person->BindText(2, bsn);
      PRESENTIE_ASSIGN_OR_RETURN(bool found, person->Step());
      if (!n.has_value() || !found) {
        return NotFound(Quoted("person", h.learner_id) +
                        " is not held here: no school has sent a record of theirs; nothing "
                        "was written");
      }
      if (!bsn.empty() && !person->ColumnBool(0)) {
        return InvalidArgument(Quoted(what, h.id) +
                               ": its BSN is not that person's; nothing was written");
      }
    }
  }
  return Status::Ok();
}

template <typename Row>
Status SqliteStore::WriteRow(Write& w, RecordKind kind, const Row& h, SubmitResult* result) {
  PRESENTIE_ASSIGN_OR_RETURN(auto shown, ReadShown(kind, h.id));
  if (shown.has_value()) {
    if (std::get<Row>(shown->first) == h) {
      ++result->unchanged;
      return Status::Ok();
    }
    ++result->changed;
  } else {
    ++result->added;
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<VersionVector> siblings, LiveVvs(*db_, kind, h.id));
  PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(h));
  PRESENTIE_ASSIGN_OR_RETURN(NewVersion v, w.AppendVersion(kind, h.id, body, siblings));
  PRESENTIE_RETURN_IF_ERROR(UpsertRow(*db_, h, ShownStamp{&v.vv, v.hlc, &w.writer()}));
  if constexpr (kinds::HasRekey<Row>) {
    if (IsEndpoint()) PRESENTIE_RETURN_IF_ERROR(AddressOwnVersion(Record(h), v.seq));
  }
  return Status::Ok();
}

template <typename Row>
Status SqliteStore::WriteRows(Write& w, RecordKind kind, std::span<const Row> rows,
                              std::string_view what, SubmitResult* result) {
  for (const Row& h : rows) PRESENTIE_RETURN_IF_ERROR(CheckRow(h, what));
  std::unordered_set<std::string> seen;
  for (const Row& h : rows) {
    if (!seen.insert(h.id).second) {
      return InvalidArgument(Quoted(what, h.id) + " is listed twice; nothing was written");
    }
    PRESENTIE_RETURN_IF_ERROR(WriteRow(w, kind, h, result));
  }
  return Status::Ok();
}

// WriteAll's work one record at a time: each record filled in, checked and
// written as it comes. It keeps the counts and the ids seen (bounded by the
// register's records of the kind, not by the input).
template <typename Row>
class SqliteStore::SubmitWriteImpl final : public SubmitWrite<Row> {
 public:
  SubmitWriteImpl(SqliteStore& store, Write w, RecordKind kind, std::string what,
                  std::string action, Fill<Row> fill)
      : store_(store),
        w_(std::move(w)),
        kind_(kind),
        what_(std::move(what)),
        action_(std::move(action)),
        fill_(fill) {}

  Status Add(const Row& input) override {
    if (!broken_.ok()) return broken_;
    Row row = input;
    Status s = fill_ != nullptr ? (store_.*fill_)(row) : Status::Ok();
    if (s.ok()) s = store_.CheckRow(row, what_);
    if (s.ok() && !seen_.insert(row.id).second) {
      s = AlreadyExists(Quoted(what_, row.id) + " is listed twice; nothing was written");
    }
    if (s.ok()) s = store_.WriteRow(w_, kind_, row, &result_);
    if (!s.ok() && !SubmitWrite<Row>::AboutTheRecord(s)) broken_ = s;
    return s;
  }

  Status Commit() override {
    if (!broken_.ok()) return broken_;
    if (result_.added + result_.changed == 0) return Status::Ok();  // rolls back: nothing written
    return w_.Commit(action_, CountsText(what_, result_));
  }

  const SubmitResult& result() const override { return result_; }

 private:
  SqliteStore& store_;
  Write w_;
  RecordKind kind_;
  std::string what_;
  std::string action_;
  Fill<Row> fill_;
  Status broken_;
  SubmitResult result_;
  std::unordered_set<std::string> seen_;
};

template <typename Row>
Result<std::unique_ptr<Store::SubmitWrite<Row>>> SqliteStore::BeginRows(const Actor& actor,
                                                                        RecordKind kind,
                                                                        std::string_view what,
                                                                        std::string_view action,
                                                                        Fill<Row> fill) {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  return std::unique_ptr<SubmitWrite<Row>>(std::make_unique<SubmitWriteImpl<Row>>(
      *this, std::move(w), kind, std::string(what), std::string(action), fill));
}

Result<Store::GemeenteSubmitResult> SqliteStore::SubmitGemeente(
    const Actor& actor, std::span<const exports::GemeenteHours> hours,
    std::span<const exports::GemeenteAbsence> absences) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  GemeenteSubmitResult result;
  PRESENTIE_RETURN_IF_ERROR(
      WriteRows(w, RecordKind::kGemeenteHours, hours, "gemeente row", &result.hours));
  PRESENTIE_RETURN_IF_ERROR(
      WriteRows(w, RecordKind::kGemeenteAbsence, absences, "absence", &result.absences));
  if (result.hours.added + result.hours.changed + result.absences.added + result.absences.changed ==
      0) {
    return result;  // rolls back: nothing written
  }
  // The absences' counts only when some were passed.
  std::string summary = CountsText("gemeente row", result.hours);
  if (!absences.empty()) summary += "; " + CountsText("absence", result.absences);
  PRESENTIE_RETURN_IF_ERROR(w.Commit("submit.gemeente", summary));
  return result;
}

Result<Store::SubmitResult> SqliteStore::DecideAbsences(
    const Actor& actor, std::span<const exports::GemeenteDecision> decisions) {
  if (actor.role != Role::kGemeente) {
    return PermissionDenied("only a gemeente decides on its residents' absences (this is a " +
                            std::string(ToString(actor.role)) + " register)");
  }
  for (const exports::GemeenteDecision& d : decisions) {
    // (WriteRows checks each decision as its school receives it.)
    // Only an absence the school sent here, and not withdrawn since.
    PRESENTIE_ASSIGN_OR_RETURN(
        auto absence,
        ReadShown(RecordKind::kGemeenteAbsence,
                  exports::GemeenteAbsenceId(d.gemeente_code, d.lesson_id, d.learner_id)));
    const std::string name = AttendanceId(d.lesson_id, d.learner_id);
    if (!absence.has_value()) {
      return NotFound(Quoted("absence", name) + " of gemeente " + d.gemeente_code +
                      " was not received here; nothing was decided");
    }
    if (std::get<exports::GemeenteAbsence>(absence->first).minutes_absent == 0) {
      return FailedPrecondition(Quoted("absence", name) +
                                " was withdrawn by the school; nothing was decided");
    }
  }
  return WriteAll(actor, RecordKind::kGemeenteDecision, decisions, "decision", "decide.gemeente");
}

Result<Store::SubmitResult> SqliteStore::SubmitDuoHours(const Actor& actor,
                                                        std::span<const exports::DuoHours> rows) {
  PRESENTIE_ASSIGN_OR_RETURN(DuoSubmitResult r, SubmitDuo(actor, rows, {}));
  return r.hours;
}

Result<Store::DuoSubmitResult> SqliteStore::SubmitDuo(
    const Actor& actor, std::span<const exports::DuoHours> hours,
    std::span<const exports::DuoAbsence> absences) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  DuoSubmitResult result;
  PRESENTIE_RETURN_IF_ERROR(WriteRows(w, RecordKind::kDuoHours, hours, "DUO row", &result.hours));
  PRESENTIE_RETURN_IF_ERROR(
      WriteRows(w, RecordKind::kDuoAbsence, absences, "DUO absence", &result.absences));
  if (result.hours.added + result.hours.changed + result.absences.added + result.absences.changed ==
      0) {
    return result;  // rolls back: nothing written
  }
  std::string summary = CountsText("DUO row", result.hours);
  if (!absences.empty()) summary += "; " + CountsText("DUO absence", result.absences);
  PRESENTIE_RETURN_IF_ERROR(w.Commit("submit.duo", summary));
  return result;
}

Result<Store::SubmitResult> SqliteStore::RecordExamResults(
    const Actor& actor, std::span<const exports::DuoExamResult> results) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckExamResultWrite(actor.role), actor.role));
  return WriteAll(actor, RecordKind::kDuoExamResult, results, "exam result", "exam.record");
}

Result<Store::SubmitResult> SqliteStore::RecordQualifications(
    const Actor& actor, std::span<const Qualification> qualifications) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckQualificationWrite(actor.role), actor.role));
  return WriteAll(actor, RecordKind::kQualification, qualifications, "qualification",
                  "qualification.add");
}

Result<std::vector<Qualification>> SqliteStore::ListQualifications() {
  return ListRows<Qualification>("qualification");
}

Result<Store::BowSubmitResult> SqliteStore::SubmitBow(
    const Actor& actor, std::span<const exports::BowPlanning> planning,
    std::span<const exports::BowQualification> qualifications) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  BowSubmitResult result;
  PRESENTIE_RETURN_IF_ERROR(
      WriteRows(w, RecordKind::kBowPlanning, planning, "course planning", &result.planning));
  PRESENTIE_RETURN_IF_ERROR(WriteRows(w, RecordKind::kBowQualification, qualifications,
                                      "BoW qualification", &result.qualifications));
  if (result.planning.added + result.planning.changed + result.qualifications.added +
          result.qualifications.changed ==
      0) {
    return result;  // rolls back: nothing written
  }
  PRESENTIE_RETURN_IF_ERROR(
      w.Commit("submit.bow", CountsText("course planning", result.planning) + "; " +
                                 CountsText("qualification", result.qualifications)));
  return result;
}

Result<std::vector<exports::BowPlanning>> SqliteStore::ListBowPlanning() {
  return ListRows<exports::BowPlanning>("course planning");
}

Result<std::vector<exports::BowQualification>> SqliteStore::ListBowQualifications() {
  return ListRows<exports::BowQualification>("BoW qualification");
}

template <typename Row>
Result<Store::SubmitResult> SqliteStore::WriteAll(const Actor& actor, RecordKind kind,
                                                  std::span<const Row> rows, std::string_view what,
                                                  std::string_view action) {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  SubmitResult result;
  PRESENTIE_RETURN_IF_ERROR(WriteRows(w, kind, rows, what, &result));
  if (result.added + result.changed == 0) return result;
  PRESENTIE_RETURN_IF_ERROR(w.Commit(action, CountsText(what, result)));
  return result;
}

template <typename Row>
Result<Store::SubmitResult> SqliteStore::SetForResidents(const Actor& actor,
                                                         std::span<const Row> rows, RecordKind kind,
                                                         std::string_view what,
                                                         std::string_view action) {
  if (actor.role != Role::kGemeente) {
    return PermissionDenied("only a gemeente sets its residents' " + std::string(what) +
                            " (this is a " + std::string(ToString(actor.role)) + " register)");
  }
  for (const Row& r : rows) {
    if (Status st = exports::Validate(r); !st.ok()) return st.WithContext("nothing was set");
    // Only for a person a school submitted hours of here, for this gemeente
    // (learner_id: the person's key, PersonByBsn).
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement known,
        db_->Cached("SELECT EXISTS (SELECT 1 FROM school_person p JOIN gemeente_hours h "
                    "ON h.learner_id = p.school || '~' || p.learner "
                    "WHERE p.person = ?1 AND h.gemeente_code = ?2)"));
    known->BindInt(1, PersonNumber(r.learner_id).value_or(0));
    known->BindTextRef(2, r.gemeente_code);
    PRESENTIE_ASSIGN_OR_RETURN(bool row, known->Step());
    if (!row || !known->ColumnBool(0)) {
      return NotFound(Quoted("person", r.learner_id) + " of gemeente " + r.gemeente_code +
                      ": no school has submitted hours of this person here; nothing was set");
    }
  }
  return WriteAll(actor, kind, rows, what, action);
}

Result<Store::SubmitResult> SqliteStore::SetPips(const Actor& actor,
                                                 std::span<const exports::GemeentePip> pips) {
  return SetForResidents(actor, pips, RecordKind::kGemeentePip, "PIP", "pip.set");
}

Result<Store::SubmitResult> SqliteStore::SetNaws(const Actor& actor,
                                                 std::span<const exports::GemeenteNaw> naws) {
  return SetForResidents(actor, naws, RecordKind::kGemeenteNaw, "NAW data", "naw.set");
}

Result<std::vector<exports::GemeenteNaw>> SqliteStore::ListNaws() {
  return ListRows<exports::GemeenteNaw>("NAW data");
}

Result<std::optional<exports::GemeenteNaw>> SqliteStore::NawFor(const Learner& learner) {
  return NawOf(*db_, learner);
}

Result<std::vector<exports::GemeentePip>> SqliteStore::ListPips() {
  return ListRows<exports::GemeentePip>("PIP");
}

Result<std::optional<exports::GemeentePip>> SqliteStore::PipFor(const Learner& learner) {
  return PipOf(*db_, learner);
}

Result<Store::SubmitResult> SqliteStore::RecordDuties(const Actor& actor,
                                                      std::span<const exports::DuoDuty> duties) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckDutyWrite(actor.role), actor.role));
  return WriteAll(actor, RecordKind::kDuoDuty, duties, "duty status", "duty.record");
}

Result<std::vector<exports::DuoDuty>> SqliteStore::ListDuties() {
  return ListRows<exports::DuoDuty>("duty status");
}

Status SqliteStore::FillContract(exports::Contract& c) {
  PRESENTIE_ASSIGN_OR_RETURN(Learner learner,
                             LearnerFor(*this, c.learner_id, Quoted("contract", c.id)));
  c.bsn = learner.bsn;
  return Status::Ok();
}

Result<Store::SubmitResult> SqliteStore::RecordContracts(const Actor& actor,
                                                         std::vector<exports::Contract> contracts) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  for (exports::Contract& c : contracts) PRESENTIE_RETURN_IF_ERROR(FillContract(c));
  return WriteAll(actor, RecordKind::kContract, std::span<const exports::Contract>(contracts),
                  "contract", "contract.add");
}

Result<std::unique_ptr<Store::SubmitWrite<exports::Contract>>> SqliteStore::BeginContracts(
    const Actor& actor) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  return BeginRows<exports::Contract>(actor, RecordKind::kContract, "contract", "contract.add",
                                      &SqliteStore::FillContract);
}

Result<std::vector<exports::Contract>> SqliteStore::ListContracts() {
  return ListRows<exports::Contract>("contract");
}

Status SqliteStore::FillInvoice(exports::Invoice& i) {
  const std::string what = Quoted("invoice", i.id);
  PRESENTIE_ASSIGN_OR_RETURN(auto contract, ReadShown(RecordKind::kContract, i.contract_id));
  if (!contract.has_value()) {
    return NotFound(what + ": " + Quoted("contract", i.contract_id) +
                    " does not exist; nothing was written");
  }
  const auto& c = std::get<exports::Contract>(contract->first);
  PRESENTIE_ASSIGN_OR_RETURN(Learner learner, LearnerFor(*this, c.learner_id, what));
  if (Recipients(DataItem::kInvoice, learner).empty()) {
    return FailedPrecondition(
        what + ": learner '" + learner.id +
        "' is an asylum permit holder under Wi2021, whose course the gemeente contracts: R1 "
        "sends such an invoice to no authority, so it is not kept here (invoice the gemeente "
        "as your contract with it says); nothing was written");
  }
  i.learner_id = c.learner_id;
  i.bsn = learner.bsn;
  return Status::Ok();
}

Result<Store::SubmitResult> SqliteStore::RecordInvoices(const Actor& actor,
                                                        std::vector<exports::Invoice> invoices) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  for (exports::Invoice& i : invoices) PRESENTIE_RETURN_IF_ERROR(FillInvoice(i));
  return WriteAll(actor, RecordKind::kInvoice, std::span<const exports::Invoice>(invoices),
                  "invoice", "invoice.add");
}

Result<std::unique_ptr<Store::SubmitWrite<exports::Invoice>>> SqliteStore::BeginInvoices(
    const Actor& actor) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  return BeginRows<exports::Invoice>(actor, RecordKind::kInvoice, "invoice", "invoice.add",
                                     &SqliteStore::FillInvoice);
}

Result<std::vector<exports::Invoice>> SqliteStore::ListInvoices() {
  return ListRows<exports::Invoice>("invoice");
}

Status SqliteStore::FillDiploma(exports::BridgingDiploma& d) {
  const std::string what = "the bridging diploma of learner '" + d.learner_id + "'";
  PRESENTIE_ASSIGN_OR_RETURN(Learner learner, LearnerFor(*this, d.learner_id, what));
  if (learner.regime != Regime::kWi2021 || learner.route != Route::kEducation) {
    return FailedPrecondition(what +
                              ": the learner is not on the onderwijsroute (Wi2021, "
                              "route O), the one route a bridging diploma completes; nothing "
                              "was written");
  }
  const EndpointSet to = Recipients(DataItem::kBridgingDiploma, learner);
  d.gemeente_code = to.contains(Endpoint::kGemeente) ? learner.gemeente_code : "";
  d.id = exports::BridgingDiplomaId(d.learner_id, d.gemeente_code);
  d.bsn = learner.bsn;
  return Status::Ok();
}

Result<Store::SubmitResult> SqliteStore::RecordDiplomas(
    const Actor& actor, std::vector<exports::BridgingDiploma> diplomas) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  for (exports::BridgingDiploma& d : diplomas) PRESENTIE_RETURN_IF_ERROR(FillDiploma(d));
  return WriteAll(actor, RecordKind::kBridgingDiploma,
                  std::span<const exports::BridgingDiploma>(diplomas), "bridging diploma",
                  "diploma.add");
}

Result<std::unique_ptr<Store::SubmitWrite<exports::BridgingDiploma>>> SqliteStore::BeginDiplomas(
    const Actor& actor) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  return BeginRows<exports::BridgingDiploma>(actor, RecordKind::kBridgingDiploma,
                                             "bridging diploma", "diploma.add",
                                             &SqliteStore::FillDiploma);
}

Result<std::vector<exports::BridgingDiploma>> SqliteStore::ListDiplomas() {
  return ListRows<exports::BridgingDiploma>("bridging diploma");
}

Result<std::unique_ptr<Store::SubmitWrite<exports::DuoExamResult>>> SqliteStore::BeginExamResults(
    const Actor& actor) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckExamResultWrite(actor.role), actor.role));
  return BeginRows<exports::DuoExamResult>(actor, RecordKind::kDuoExamResult, "exam result",
                                           "exam.record", nullptr);
}

Result<std::unique_ptr<Store::SubmitWrite<Qualification>>> SqliteStore::BeginQualifications(
    const Actor& actor) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckQualificationWrite(actor.role), actor.role));
  return BeginRows<Qualification>(actor, RecordKind::kQualification, "qualification",
                                  "qualification.add", nullptr);
}

Result<std::vector<exports::DuoExamResult>> SqliteStore::ListExamResults() {
  return ListRows<exports::DuoExamResult>("exam result");
}

Result<std::vector<exports::DuoAbsence>> SqliteStore::ListDuoAbsences() {
  return ListRows<exports::DuoAbsence>("DUO absence");
}

Result<Store::SubmitResult> SqliteStore::SubmitGemeenteHours(
    const Actor& actor, std::span<const exports::GemeenteHours> rows) {
  PRESENTIE_ASSIGN_OR_RETURN(GemeenteSubmitResult r, SubmitGemeente(actor, rows, {}));
  return r.hours;
}

template <typename Row>
Status SqliteStore::EachRow(std::string_view what, const std::function<Status(const Row&)>& each) {
  using Traits = kinds::KindTraits<Row>;
  PRESENTIE_ASSIGN_OR_RETURN(
      Statement list,
      db_->Prepare(Sql("SELECT ", Traits::kColumns, Sql(" FROM ", Traits::kName, " ORDER BY id"))));
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) return Status::Ok();
    Row h;
    if (Status s = Traits::Read(list, 0, &h); !s.ok()) return Damaged(what, list.ColumnText(0), s);
    PRESENTIE_RETURN_IF_ERROR(each(h));
  }
}

template <typename Row>
Result<std::vector<Row>> SqliteStore::ListRows(std::string_view what) {
  std::vector<Row> out;
  PRESENTIE_RETURN_IF_ERROR(EachRow<Row>(what, [&](const Row& h) {
    out.push_back(h);
    return Status::Ok();
  }));
  return out;
}

Status SqliteStore::EachContract(const std::function<Status(const exports::Contract&)>& each) {
  return EachRow<exports::Contract>("contract", each);
}

Status SqliteStore::EachInvoice(const std::function<Status(const exports::Invoice&)>& each) {
  return EachRow<exports::Invoice>("invoice", each);
}

Status SqliteStore::EachDiploma(
    const std::function<Status(const exports::BridgingDiploma&)>& each) {
  return EachRow<exports::BridgingDiploma>("bridging diploma", each);
}

Result<std::vector<exports::GemeenteAbsence>> SqliteStore::ListGemeenteAbsences() {
  return ListRows<exports::GemeenteAbsence>("absence");
}

Result<std::vector<exports::GemeenteDecision>> SqliteStore::ListGemeenteDecisions() {
  return ListRows<exports::GemeenteDecision>("decision");
}

Result<std::vector<exports::GemeenteHours>> SqliteStore::ListGemeenteHours() {
  return ListRows<exports::GemeenteHours>("gemeente row");
}

Result<std::vector<exports::DuoHours>> SqliteStore::ListDuoHours() {
  return ListRows<exports::DuoHours>("DUO row");
}

Status SqliteStore::SetGemeenteCode(const Actor& actor, std::string_view code) {
  if (info_.role != Role::kGemeente || actor.role != Role::kGemeente) {
    return PermissionDenied("only a gemeente's register serves a gemeente code (this is a " +
                            std::string(ToString(info_.role)) + " register)");
  }
  PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(code));
  if (info_.gemeente_code == code) return Status::Ok();
  if (!info_.gemeente_code.empty()) {
    return FailedPrecondition("this register holds gemeente " + info_.gemeente_code +
                              "'s data; it cannot be served as gemeente " + std::string(code) +
                              "'s endpoint");
  }
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db_, internal::meta::kGemeenteCode, code));
  PRESENTIE_RETURN_IF_ERROR(w.Commit("config.set", "gemeente code set to " + std::string(code)));
  info_.gemeente_code = std::string(code);
  return Status::Ok();
}

Status SqliteStore::SetBowNumber(const Actor& actor, std::string_view number) {
  if (actor.role != Role::kAdmin) {
    return PermissionDenied("only the school admin sets the BoW number (this is a " +
                            std::string(ToString(actor.role)) + " register)");
  }
  PRESENTIE_RETURN_IF_ERROR(ValidateBowNumber(number));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db_, internal::meta::kBowNumber, number));
  PRESENTIE_RETURN_IF_ERROR(w.Commit("config.set", "BoW number set to " + std::string(number)));
  info_.bow_number = std::string(number);
  return Status::Ok();
}

Status SqliteStore::LogExport(const Actor& actor, std::string_view action, std::string summary) {
  if (actor.role != Role::kAdmin) {
    return PermissionDenied("only the school admin hands files to the authorities (this is a " +
                            std::string(ToString(actor.role)) + " register)");
  }
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  return w.Commit(action, std::move(summary));
}

}  // namespace presentie::storage::impl
