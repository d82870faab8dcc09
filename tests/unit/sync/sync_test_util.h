// Shared helpers of the sync tests: versions of every kind, a realistic
// attendance batch, and rapidcheck generators of valid versions.
#ifndef PRESENTIE_TESTS_UNIT_SYNC_SYNC_TEST_UTIL_H_
#define PRESENTIE_TESTS_UNIT_SYNC_SYNC_TEST_UTIL_H_

#include <rapidcheck.h>

#include <string>
#include <vector>

#include "storage/versioned.h"

namespace presentie::sync::testing {

inline const std::string kReplicaA = "0a1b2c3d4e5f6071";
inline const std::string kReplicaB = "ffee000000000001";
inline const std::string kReplicaC = "1234567890abcdef";
inline const std::string kReplicaDuo = "d0d0d0d0d0d0d0d0";  // DUO's endpoint

VersionStamp SampleStamp(const std::string& writer, Role role, uint64_t hlc_ms);

// Versions of every kind, with every optional field both set and unset
// somewhere: seven of the first kinds, then the three attendance versions,
// then a DUO row (index 10), a gemeente row (index 11), an absence sent to
// the gemeente (12) and the gemeente's decision on it (13, written by
// kReplicaC as a gemeente), a DUO absence (14) and an exam result (15,
// written by kReplicaDuo as DUO), all added with protocol version 2.
std::vector<storage::VersionedRecord> OneOfEachKind();

// The attendance of `learners` learners in `lessons` lessons as a hub's
// change log holds it: lesson after lesson, each recorded in one transaction
// by one of three teacher devices; mostly present, some absences with
// reasons, notes and notice, some partial presences. Deterministic.
std::vector<storage::VersionedRecord> RealisticAttendance(int learners, int lessons);

// `versions` attendance versions shaped like a real school's (as sync_bench's
// real-shaped data, bench/real_school.h): 2,000 learners in 125 groups of
// 16, random v4 UUIDs as learner and lesson ids, 16 versions a lesson, 25
// teacher devices of 5 groups each, mostly present; in no particular order
// (shuffled), each stamped by its device's clock. Deterministic.
std::vector<storage::VersionedRecord> RealShapedAttendance(int versions);

// The order a kColumns batch decodes in: non-attendance versions first, then
// attendance, each in the given order.
std::vector<storage::VersionedRecord> ColumnOrder(std::vector<storage::VersionedRecord> v);

// Valid versions of any kind (what DecodeBatch accepts).
rc::Gen<storage::VersionedRecord> GenVersion();

}  // namespace presentie::sync::testing

#endif  // PRESENTIE_TESTS_UNIT_SYNC_SYNC_TEST_UTIL_H_
