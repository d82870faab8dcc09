#include "core/authorities/contracts.h"

#include <algorithm>
#include <map>

#include "core/authorities/common.h"
#include "core/classification.h"
#include "core/ids.h"
#include "core/routing.h"

namespace presentie::exports {

namespace {

constexpr int64_t kMaxCents = 10'000'000;  // EUR 100,000: far above any course's price
bool ValidDay(const Date& d) { return ParseDate(FormatDate(d)).ok(); }

}  // namespace

Status Validate(const Contract& c) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(c.id, "contract number"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(c.learner_id, "learner id"));
  const std::string p = "contract '" + c.id + "': ";
  if (!IsValidBsn(c.bsn)) return InvalidArgument(p + "the BSN is not a valid BSN");
  if (!ValidDay(c.signed_on) || !ValidDay(c.start) || !ValidDay(c.end)) {
    return InvalidArgument(p + "a date is not a valid date");
  }
  if (c.end < c.start) return InvalidArgument(p + "it ends before it starts");
  if (c.end < c.signed_on) return InvalidArgument(p + "it ends before it was signed");
  if (c.hours < 1 || c.hours > 9999) {
    return InvalidArgument(p + "hours must be 1..9999, not " + std::to_string(c.hours));
  }
  if (c.price_cents < 0 || c.price_cents > kMaxCents) {
    return InvalidArgument(p + "the price must be 0..100000.00 euro");
  }
  return Status::Ok();
}

Status Validate(const Invoice& i) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(i.id, "invoice number"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(i.contract_id, "contract number"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(i.learner_id, "learner id"));
  const std::string p = "invoice '" + i.id + "': ";
  if (!IsValidBsn(i.bsn)) return InvalidArgument(p + "the BSN is not a valid BSN");
  if (!ValidDay(i.invoiced_on)) return InvalidArgument(p + "the date is not a valid date");
  if (i.hours < 0 || i.hours > 9999) {
    return InvalidArgument(p + "hours must be 0..9999, not " + std::to_string(i.hours));
  }
  if (i.amount_cents < 1 || i.amount_cents > kMaxCents) {
    return InvalidArgument(p + "the amount must be 0.01..100000.00 euro");
  }
  return Status::Ok();
}

std::string BridgingDiplomaId(std::string_view learner_id, std::string_view gemeente_code) {
  if (gemeente_code.empty()) return "duo/diploma/" + std::string(learner_id);
  return "gemeente/" + std::string(gemeente_code) + "/diploma/" + std::string(learner_id);
}

Status Validate(const BridgingDiploma& d) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(d.learner_id, "learner id"));
  if (!d.gemeente_code.empty()) PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(d.gemeente_code));
  if (d.id != BridgingDiplomaId(d.learner_id, d.gemeente_code)) {
    return InvalidArgument("a bridging diploma's id '" + d.id +
                           "' does not match its learner and receiver");
  }
  if (!IsValidBsn(d.bsn)) return InvalidArgument("a bridging diploma's BSN is not a valid BSN");
  if (!ValidDay(d.awarded_on)) {
    return InvalidArgument("bridging diploma '" + d.id + "': the date is not a valid date");
  }
  return Status::Ok();
}

}  // namespace presentie::exports
