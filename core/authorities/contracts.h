// What presentie exchanges with DUO and the gemeente: as the school's admin enters it:
// contracts, invoices and bridging diplomas.
//
// Who appears is R1's decision (core/routing.h), never this file's. Minutes
// are kept to the end and turned into whole hours once, by WholeHours (R5).
#ifndef PRESENTIE_CORE_AUTHORITIES_CONTRACTS_H_
#define PRESENTIE_CORE_AUTHORITIES_CONTRACTS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/hours.h"

namespace presentie::exports {

// --- What the school's admin enters for DUO, and for the gemeente: contracts,
// invoices and bridging diplomas (R1 in docs/rules.md, from the note's
// 'Contracten en facturen' and 'Taalschakeltrajecten'). Each is sent as
// entered: R1 gives its receiver every field it has (docs/authorities.md,
// "Contracts, invoices, bridging diplomas"). The store copies the learner's
// BSN in when the admin enters one.

// A learner's contract with the school (contractgegevens). R1 sends every
// contract to DUO, an asylum permit holder's too: DUO passes its data to the
// Belastingdienst (childcare allowance) and uses it to return exam results.
struct Contract {
  std::string id;  // the school's contract number: a record key
  std::string learner_id;
  std::string bsn;
  Date signed_on;
  Date start;
  Date end;
  int hours = 0;            // contracted hours, 1..9999
  int64_t price_cents = 0;  // 0..10,000,000 (euro cents)
  bool operator==(const Contract&) const = default;
};
// Keys, a valid BSN, valid dates, signed_on <= end, start <= end, hours and
// price in range.
Status Validate(const Contract& c);

// An invoice on a contract (factuur). R1 sends it to DUO (a family or other
// migrant's loan; an asylum permit holder under Wi2013), to nobody for a
// Wi2021 asylum permit holder (the gemeente contracts the school): the store
// refuses to enter one for such a learner.
struct Invoice {
  std::string id;  // the school's invoice number: a record key
  std::string contract_id;
  std::string learner_id;
  std::string bsn;
  Date invoiced_on;
  int hours = 0;             // hours invoiced, 0..9999
  int64_t amount_cents = 0;  // 1..10,000,000 (euro cents)
  bool operator==(const Invoice&) const = default;
};
// Keys, a valid BSN, a valid date, hours and amount in range.
Status Validate(const Invoice& i);

// That a learner on the onderwijsroute has a bridging diploma
// (taalschakeldiploma): DUO needs to know only that there is one, not which
// of the seven programmes (the note's 'Taalschakeltrajecten' and its footnote
// 8), and neither does the gemeente, which passes it on to DUO for its Wi2021
// asylum permit holders — so that is all this record holds. Its receiver is
// in its id, fixed by R1 when entered.
struct BridgingDiploma {
  std::string id;  // BridgingDiplomaId(learner_id, gemeente_code)
  std::string learner_id;
  std::string bsn;
  std::string gemeente_code;  // the receiving gemeente; "" when DUO receives it
  Date awarded_on;
  bool operator==(const BridgingDiploma&) const = default;
};
// "duo/diploma/<learner>", or "gemeente/<code>/diploma/<learner>".
std::string BridgingDiplomaId(std::string_view learner_id, std::string_view gemeente_code);
// Keys, the id, a valid BSN, a CBS code or none, a valid date.
Status Validate(const BridgingDiploma& d);

}  // namespace presentie::exports

#endif  // PRESENTIE_CORE_AUTHORITIES_CONTRACTS_H_
