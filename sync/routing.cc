#include "sync/routing.h"

#include "core/authorities.h"

namespace presentie::sync {

using storage::RecordKind;

bool SentTo(Role remote_role, std::string_view remote_gemeente, RecordKind kind,
            std::string_view record_id) {
  switch (remote_role) {
    case Role::kDuo:
      return kind == RecordKind::kDuoHours || kind == RecordKind::kDuoAbsence ||
             kind == RecordKind::kContract || kind == RecordKind::kInvoice ||
             (kind == RecordKind::kBridgingDiploma && record_id.starts_with("duo/"));
    case Role::kGemeente:
      return (kind == RecordKind::kGemeenteHours || kind == RecordKind::kGemeenteAbsence ||
              kind == RecordKind::kBridgingDiploma) &&
             !remote_gemeente.empty() &&
             exports::GemeenteOfSubmissionId(record_id) == remote_gemeente;
    case Role::kBow:
      return kind == RecordKind::kBowPlanning || kind == RecordKind::kBowQualification;
    case Role::kTeacher:
    case Role::kAdmin:
    case Role::kHub:
      return true;
  }
  return false;
}

}  // namespace presentie::sync
