// Every record kind presentie exchanges with an authority, one header each
// in core/authorities/: DUO (duo.h), the gemeente (gemeente.h), Blik op Werk
// (bow.h), and the contracts, invoices and bridging diplomas the admin
// enters for DUO and the gemeente (contracts.h). Pure: the caller reads the
// register and sends or writes the result.
#ifndef PRESENTIE_CORE_AUTHORITIES_H_
#define PRESENTIE_CORE_AUTHORITIES_H_

#include "core/authorities/bow.h"
#include "core/authorities/contracts.h"
#include "core/authorities/duo.h"
#include "core/authorities/gemeente.h"

#endif  // PRESENTIE_CORE_AUTHORITIES_H_
