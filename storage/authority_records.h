// What a register sends to and receives from DUO, the gemeente and Blik op
// Werk (docs/authorities.md): the admin's submissions, the records an
// authority's endpoint writes, and the school's settings they need.
#ifndef PRESENTIE_STORAGE_AUTHORITY_RECORDS_H_
#define PRESENTIE_STORAGE_AUTHORITY_RECORDS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/authorities.h"
#include "core/status.h"
#include "storage/register.h"

namespace presentie::storage {

class AuthorityRecords {
 public:
  virtual ~AuthorityRecords() = default;

  // --- Submissions (docs/authorities.md): the admin's statements to an
  // authority, derived from the register by core's functions and versioned
  // like every record.
  struct SubmitResult {
    uint64_t added = 0;      // rows with no earlier version
    uint64_t changed = 0;    // rows whose content differs from the version shown
    uint64_t unchanged = 0;  // rows written before with this content: nothing written
  };
  // One of the Record... calls below fed record by record (RecordWrite,
  // storage/register.h), for an import of any size: the same checks, the
  // same versions, one transaction and one audit entry with the same
  // summary (counts only). Commit writes nothing, as the single call, when
  // no record was new or changed. What the write keeps between records is
  // the counts and the ids it was given (to find one listed twice:
  // kAlreadyExists), never the records.
  template <typename Row>
  class SubmitWrite : public RecordWrite<Row> {
   public:
    // The counts so far; after Commit, the write's.
    virtual const SubmitResult& result() const = 0;
    // As RecordWrite's, and a record the register refuses as its rules say
    // (an invoice R1 sends nowhere, a diploma off the onderwijsroute:
    // kFailedPrecondition) is about the record too.
    static bool AboutTheRecord(const Status& s) {
      return RecordWrite<Row>::AboutTheRecord(s) || s.code() == StatusCode::kFailedPrecondition;
    }
  };
  // Writes a version of each DUO row that is new or whose content changed,
  // dominating the earlier ones, in one transaction with one audit entry
  // ("submit.duo", counts only). kPermissionDenied for any role but admin;
  // kInvalidArgument for a row exports::Validate refuses (nothing written).
  virtual Result<SubmitResult> SubmitDuoHours(const Actor& actor,
                                              std::span<const exports::DuoHours> rows) = 0;
  // Every DUO row held here (written here or received), by id.
  virtual Result<std::vector<exports::DuoHours>> ListDuoHours() = 0;
  // DUO's rows and the school's classified absences for DUO (core/authorities/duo.h)
  // in one transaction with one audit entry ("submit.duo", counts only). An
  // absence withdrawn since an earlier submission is passed with 0 minutes.
  struct DuoSubmitResult {
    SubmitResult hours;
    SubmitResult absences;
  };
  virtual Result<DuoSubmitResult> SubmitDuo(const Actor& actor,
                                            std::span<const exports::DuoHours> hours,
                                            std::span<const exports::DuoAbsence> absences) = 0;
  virtual Result<std::vector<exports::DuoAbsence>> ListDuoAbsences() = 0;
  // DUO's register only (kPermissionDenied elsewhere): exam results, written
  // like submissions ("exam.record"). A school's register receives them.
  virtual Result<SubmitResult> RecordExamResults(
      const Actor& actor, std::span<const exports::DuoExamResult> results) = 0;
  virtual Result<std::vector<exports::DuoExamResult>> ListExamResults() = 0;
  // The same for DUO's view of a learner's integration duty ("duty.record"):
  // DUO's register only; a school's receives it.
  virtual Result<SubmitResult> RecordDuties(const Actor& actor,
                                            std::span<const exports::DuoDuty> duties) = 0;
  virtual Result<std::vector<exports::DuoDuty>> ListDuties() = 0;
  // What the school's admin enters for DUO and the gemeente (core/authorities/contracts.h):
  // kPermissionDenied for any role but admin. Each call is one transaction
  // with one audit entry ("contract.add", "invoice.add", "diploma.add";
  // counts only); nothing is written when one record is refused. The store
  // fills in what the register knows:
  //  - a contract: the BSN of its learner (kNotFound: no such learner);
  //  - an invoice: the learner and BSN of its contract (kNotFound: no such
  //    contract); kFailedPrecondition when R1 routes the learner's invoices
  //    nowhere (a Wi2021 asylum permit holder: the gemeente contracts the
  //    school);
  //  - a bridging diploma (pass learner_id and awarded_on): the BSN, and the
  //    receiver R1 names, in gemeente_code and the id; kFailedPrecondition
  //    unless the learner follows the onderwijsroute (Wi2021).
  virtual Result<SubmitResult> RecordContracts(const Actor& actor,
                                               std::vector<exports::Contract> contracts) = 0;
  virtual Result<std::vector<exports::Contract>> ListContracts() = 0;
  virtual Result<SubmitResult> RecordInvoices(const Actor& actor,
                                              std::vector<exports::Invoice> invoices) = 0;
  virtual Result<std::vector<exports::Invoice>> ListInvoices() = 0;
  virtual Result<SubmitResult> RecordDiplomas(const Actor& actor,
                                              std::vector<exports::BridgingDiploma> diplomas) = 0;
  virtual Result<std::vector<exports::BridgingDiploma>> ListDiplomas() = 0;
  // ListContracts, ListInvoices and ListDiplomas one record at a time, in
  // the same order, without holding them: for a listing of any length. An
  // error of `each` ends the walk and is returned.
  virtual Status EachContract(const std::function<Status(const exports::Contract&)>& each) = 0;
  virtual Status EachInvoice(const std::function<Status(const exports::Invoice&)>& each) = 0;
  virtual Status EachDiploma(
      const std::function<Status(const exports::BridgingDiploma&)>& each) = 0;
  // The three calls above and RecordQualifications, RecordExamResults below,
  // fed record by record (SubmitWrite above); the same roles may begin them.
  virtual Result<std::unique_ptr<SubmitWrite<exports::Contract>>> BeginContracts(
      const Actor& actor) = 0;
  virtual Result<std::unique_ptr<SubmitWrite<exports::Invoice>>> BeginInvoices(
      const Actor& actor) = 0;
  virtual Result<std::unique_ptr<SubmitWrite<exports::BridgingDiploma>>> BeginDiplomas(
      const Actor& actor) = 0;
  virtual Result<std::unique_ptr<SubmitWrite<Qualification>>> BeginQualifications(
      const Actor& actor) = 0;
  virtual Result<std::unique_ptr<SubmitWrite<exports::DuoExamResult>>> BeginExamResults(
      const Actor& actor) = 0;
  // The same for a gemeente's rows ("submit.gemeente"); one call may hold
  // rows of several gemeenten, each reaches only its own.
  virtual Result<SubmitResult> SubmitGemeenteHours(
      const Actor& actor, std::span<const exports::GemeenteHours> rows) = 0;
  virtual Result<std::vector<exports::GemeenteHours>> ListGemeenteHours() = 0;
  // A gemeente's rows and its residents' absences (core/authorities/gemeente.h), in one
  // transaction with one audit entry ("submit.gemeente", counts only). An
  // absence withdrawn since an earlier submission is passed with 0 minutes.
  struct GemeenteSubmitResult {
    SubmitResult hours;
    SubmitResult absences;
  };
  virtual Result<GemeenteSubmitResult> SubmitGemeente(
      const Actor& actor, std::span<const exports::GemeenteHours> hours,
      std::span<const exports::GemeenteAbsence> absences) = 0;
  // Every absence held here: sent from here (a school) or received (a
  // gemeente's endpoint), by id.
  virtual Result<std::vector<exports::GemeenteAbsence>> ListGemeenteAbsences() = 0;
  // A gemeente's register only: its decisions on absences it received and
  // that were not withdrawn (kNotFound, kFailedPrecondition otherwise),
  // written like submissions ("decide.gemeente"). kPermissionDenied on any
  // other register. A school register shows a received decision on the
  // attendance it is about (R2: the gemeente's decision wins).
  virtual Result<SubmitResult> DecideAbsences(
      const Actor& actor, std::span<const exports::GemeenteDecision> decisions) = 0;
  virtual Result<std::vector<exports::GemeenteDecision>> ListGemeenteDecisions() = 0;

  // Blik op Werk (docs/authorities.md). Teachers' qualifications, kept by the
  // admin (kPermissionDenied for any other role: O.qualification-owner),
  // written like submissions ("qualification.add", counts only): a new or
  // changed one gets a version, an unchanged one nothing. kInvalidArgument
  // for one Validate refuses or an id listed twice (nothing written).
  virtual Result<SubmitResult> RecordQualifications(
      const Actor& actor, std::span<const Qualification> qualifications) = 0;
  virtual Result<std::vector<Qualification>> ListQualifications() = 0;
  // The course planning and the qualifications BoW receives (core/authorities/bow.h),
  // in one transaction with one audit entry ("submit.bow", counts only); the
  // admin only, like every submission.
  struct BowSubmitResult {
    SubmitResult planning;
    SubmitResult qualifications;
  };
  virtual Result<BowSubmitResult> SubmitBow(
      const Actor& actor, std::span<const exports::BowPlanning> planning,
      std::span<const exports::BowQualification> qualifications) = 0;
  // What is held here: sent (a school) or received (BoW's endpoint).
  virtual Result<std::vector<exports::BowPlanning>> ListBowPlanning() = 0;
  virtual Result<std::vector<exports::BowQualification>> ListBowQualifications() = 0;

  // The gemeente's PIP of its residents (core/authorities/gemeente.h GemeentePip). A
  // gemeente's register only (kPermissionDenied elsewhere), for learners a
  // school submitted hours of there (kNotFound otherwise), written like
  // submissions ("pip.set"). A school's register shows a received PIP over
  // the learner's own values of its fields (GetLearner, ListLearners and
  // every report), and UpdateLearner refuses to change them
  // (kFailedPrecondition).
  virtual Result<SubmitResult> SetPips(const Actor& actor,
                                       std::span<const exports::GemeentePip> pips) = 0;
  virtual Result<std::vector<exports::GemeentePip>> ListPips() = 0;
  // The PIP shown over `learner`, if one applies (their own gemeente's, for
  // a Wi2021 asylum permit holder).
  virtual Result<std::optional<exports::GemeentePip>> PipFor(const Learner& learner) = 0;
  // The gemeente's NAW data of its residents (core/authorities/gemeente.h GemeenteNaw),
  // like the PIP ("naw.set"): a school's register shows its name over the
  // learner's own, UpdateLearner refuses to change that name
  // (kFailedPrecondition), and the address is kept only in the NAW record.
  virtual Result<SubmitResult> SetNaws(const Actor& actor,
                                       std::span<const exports::GemeenteNaw> naws) = 0;
  virtual Result<std::vector<exports::GemeenteNaw>> ListNaws() = 0;
  virtual Result<std::optional<exports::GemeenteNaw>> NawFor(const Learner& learner) = 0;

  // At an authority's register: the key of the person with this BSN, under
  // which the authority's own records about them are held ("P<n>"); nullopt
  // when no school has sent a record of theirs here.
  virtual Result<std::optional<std::string>> PersonByBsn(std::string_view bsn) = 0;

  // Settings and the record of what left the school as a file.
  // Both are the admin's (kPermissionDenied for another role) and audited.
  //
  // Sets the BoW registration number (ValidateBowNumber; kInvalidArgument
  // otherwise): "config.set".
  virtual Status SetBowNumber(const Actor& actor, std::string_view number) = 0;
  // A gemeente's register only (kPermissionDenied elsewhere): binds it to
  // the CBS code its endpoint serves, once ("config.set"); the same code
  // again does nothing, another is kFailedPrecondition — a register holds
  // one gemeente's data and must not be served as another's.
  virtual Status SetGemeenteCode(const Actor& actor, std::string_view code) = 0;
  // Appends an audit entry that writes no record: that a file for an
  // authority was made, with `summary` (a file name and counts, never a BSN).
  virtual Status LogExport(const Actor& actor, std::string_view action, std::string summary) = 0;
};

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_AUTHORITY_RECORDS_H_
