// The register file as one object: every interface of storage/ that a
// layer above takes (register.h, sync_state.h, remotes.h,
// authority_records.h), implemented on SQLite. Callers that need only part
// of it take that interface.
//
// Thread-safety: a Store is used by one thread at a time.
#ifndef PRESENTIE_STORAGE_STORE_H_
#define PRESENTIE_STORAGE_STORE_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/authority_records.h"
#include "storage/register.h"
#include "storage/remotes.h"
#include "storage/sync_state.h"

namespace presentie::storage {

class Store : public Register, public SyncState, public Remotes, public AuthorityRecords {
 public:
  // Creates a new register at `path` (mode 0600; the parent folder must
  // exist). kAlreadyExists if a file is there.
  static Result<std::unique_ptr<Store>> Create(const std::string& path,
                                               const InitOptions& init,
                                               StoreOptions options = {});
  // Opens an existing register and migrates it to the current schema.
  // kNoRegister if there is no file; kFailedPrecondition if its schema is
  // newer than this program knows or it is not a presentie register.
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             StoreOptions options = {});
  ~Store() override = default;
};

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_STORE_H_
