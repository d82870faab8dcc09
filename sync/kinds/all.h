// Every record kind's wire traits (sync/kinds/wire_traits.h).
#ifndef PRESENTIE_SYNC_KINDS_ALL_H_
#define PRESENTIE_SYNC_KINDS_ALL_H_

#include "sync/kinds/attendance.h"
#include "sync/kinds/bow_planning.h"
#include "sync/kinds/bow_qualification.h"
#include "sync/kinds/bridging_diploma.h"
#include "sync/kinds/contract.h"
#include "sync/kinds/course.h"
#include "sync/kinds/duo_absence.h"
#include "sync/kinds/duo_duty.h"
#include "sync/kinds/duo_exam_result.h"
#include "sync/kinds/duo_hours.h"
#include "sync/kinds/enrollment.h"
#include "sync/kinds/gemeente_absence.h"
#include "sync/kinds/gemeente_decision.h"
#include "sync/kinds/gemeente_hours.h"
#include "sync/kinds/gemeente_naw.h"
#include "sync/kinds/gemeente_pip.h"
#include "sync/kinds/invoice.h"
#include "sync/kinds/learner.h"
#include "sync/kinds/lesson.h"
#include "sync/kinds/qualification.h"
#include "sync/kinds/wire_traits.h"

#endif  // PRESENTIE_SYNC_KINDS_ALL_H_
