// Prepared statements with typed Bind/Column, and the guard through which a
// cached statement is used. Internal to storage/ (see database.h).
//
// Thread-safety: like the Database they belong to, one thread at a time.
#ifndef PRESENTIE_STORAGE_SQLITE_STATEMENT_H_
#define PRESENTIE_STORAGE_SQLITE_STATEMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3_stmt;

namespace presentie::storage::sqlite {

// One prepared statement; finalized by the destructor. Parameter and column
// indexes follow SQLite: parameters count from 1, columns from 0.
//
// Bind calls do not return a Status: the first failure is remembered and
// returned by the next Step or Run, so a statement is bound in a row of
// plain calls and checked once.
class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void BindInt(int index, int64_t value);
  void BindBool(int index, bool value) { BindInt(index, value ? 1 : 0); }
  // Copies the text: safe for temporaries.
  void BindText(int index, std::string_view value);
  // Binds without copying: `value` must outlive the next Step/Run. Binding a
  // temporary this way is refused at compile time.
  void BindTextRef(int index, const std::string& value);
  void BindTextRef(int index, std::string&& value) = delete;
  // Binds without copying text of static storage duration: string literals
  // and the enum names of core/domain.h.
  void BindStaticText(int index, std::string_view value);
  void BindOptionalText(int index, const std::optional<std::string>& value);
  void BindNull(int index);

  // Advances: true when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps until done, discarding any rows.
  Status Run();
  // Back to the start, bindings cleared. Errors of the last step are not
  // repeated here (they were returned by Step).
  void Reset();

  int64_t ColumnInt(int index) const;
  bool ColumnBool(int index) const { return ColumnInt(index) != 0; }
  bool ColumnIsNull(int index) const;
  // A view valid until the next Step, Reset or destruction.
  std::string_view ColumnText(int index) const;
  std::string ColumnString(int index) const { return std::string(ColumnText(index)); }
  std::optional<std::string> ColumnOptionalText(int index) const;

  bool valid() const { return stmt_ != nullptr; }

 private:
  Status StepError(int rc) const;
  void NoteBind(int rc);

  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = 0;  // SQLITE_OK, or the first failing bind's code
};

// A statement kept by a Database's cache, and whether a guard holds it.
struct CachedSlot {
  Statement statement;
  bool in_use = false;
};

// Scoped use of a cached statement: on destruction the statement is reset and
// its bindings are cleared, ready for the next user.
class CachedStatement {
 public:
  explicit CachedStatement(CachedSlot* slot) : slot_(slot) { slot_->in_use = true; }
  CachedStatement(CachedStatement&& other) noexcept : slot_(other.slot_) { other.slot_ = nullptr; }
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  ~CachedStatement();

  Statement* operator->() { return &slot_->statement; }
  Statement& operator*() { return slot_->statement; }

 private:
  CachedSlot* slot_;
};

}  // namespace presentie::storage::sqlite

#endif  // PRESENTIE_STORAGE_SQLITE_STATEMENT_H_
