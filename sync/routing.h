// Which versions go to which remote: the routing rule R1 applied to the
// wire (docs/rules.md). The engine's push, the server's check of a push and
// `presentie status` all ask it, so they never disagree.
#ifndef PRESENTIE_SYNC_ROUTING_H_
#define PRESENTIE_SYNC_ROUTING_H_

#include <string_view>

#include "core/domain.h"
#include "storage/record.h"

namespace presentie::sync {

// Whether a remote of `remote_role` (from its hello; `remote_gemeente`, its
// CBS code when it is a gemeente) is sent the version of `kind` with
// `record_id`: an authority only the submissions R1 routes to it (DUO:
// duo_hours and duo_absence; a gemeente: the gemeente_hours and
// gemeente_absence of its own residents — never its own decisions back;
// BoW: bow_planning and bow_qualification; DUO also contracts, invoices and
// the bridging diplomas addressed to it, a gemeente those addressed to it),
// every other remote everything.
bool SentTo(Role remote_role, std::string_view remote_gemeente, storage::RecordKind kind,
            std::string_view record_id);

}  // namespace presentie::sync

#endif  // PRESENTIE_SYNC_ROUTING_H_
