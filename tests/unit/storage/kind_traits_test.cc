// A record kind added by a test alone: its struct, its KindTraits and its
// table are here, and the store's generic code (the upsert with its sealed
// columns and hooks, the read, a change-log body to a record and back)
// serves it as it serves the kinds of storage/record.h. A kind of the
// product also needs its place in Record, a proto message and its
// WireTraits, a schema step and a CLI noun (docs/architecture.md).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "storage/sqlite_store/store_impl.h"
#include "storage_test_util.h"

namespace presentie::storage::kind_traits_test {

// A teacher's note on a course: its text is personal data, sealed at rest.
struct CourseNote {
  std::string id;
  std::string course_id;
  std::string text;
  int pages = 0;
  bool operator==(const CourseNote&) const = default;
};

}  // namespace presentie::storage::kind_traits_test

namespace presentie::storage::kinds {

template <>
struct KindTraits<kind_traits_test::CourseNote> {
  using Note = kind_traits_test::CourseNote;
  static constexpr std::string_view kName = "course_note";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns = "id, course_id, unseal(text,'text'), pages";

  static std::string Id(const Note& n) { return n.id; }
  static Status Validate(const Note& n) {
    if (n.pages < 0) return InvalidArgument("course note '" + n.id + "': pages is negative");
    return ValidateRecordKey(n.course_id, "course_id");
  }
  static Status Read(const Statement& s, int c, Note* n) {
    n->id = s.ColumnString(c);
    n->course_id = s.ColumnString(c + 1);
    n->text = s.ColumnString(c + 2);
    n->pages = static_cast<int>(s.ColumnInt(c + 3));
    return Status::Ok();
  }
  static void Bind(Statement& s, int i, const Note& n) {
    s.BindTextRef(i, n.id);
    s.BindTextRef(i + 1, n.course_id);
    s.BindTextRef(i + 2, n.text);
    s.BindInt(i + 3, n.pages);
  }
  static Result<std::string> Body(const Note& n) {
    CanonicalObject o;
    o.Text("course_id", n.course_id).Text("id", n.id).Int("pages", n.pages).Text("text", n.text);
    return o.Finish("course note", n.id);
  }
  static Note FromBody(BodyReader& r) {
    Note n;
    n.id = r.Text("id");
    n.course_id = r.Text("course_id");
    n.text = r.Text("text");
    n.pages = r.Int("pages");
    return n;
  }
  // The row shows the text trimmed of trailing spaces; the version keeps it.
  static Result<Note> Shown(sqlite::Database&, const Note& written) {
    Note n = written;
    while (!n.text.empty() && n.text.back() == ' ') n.text.pop_back();
    return n;
  }
  // Counts the notes written per course in a table of its own.
  static Status AfterUpsert(sqlite::Database& db, const Note& n) {
    PRESENTIE_ASSIGN_OR_RETURN(
        sqlite::CachedStatement count,
        db.Cached("INSERT INTO course_note_count (course_id, n) VALUES (?1, 1) "
                  "ON CONFLICT (course_id) DO UPDATE SET n = n + 1"));
    count->BindTextRef(1, n.course_id);
    return count->Run();
  }
};

}  // namespace presentie::storage::kinds

namespace presentie::storage::kind_traits_test {
namespace {

using impl::ShownStamp;
using Traits = kinds::KindTraits<CourseNote>;

class KindTraitsTest : public testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    CreateRegister().reset();  // a register file, and its key
    db_ = testing::SealedConnection(path_, path_);
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Exec("CREATE TABLE course_note (id TEXT PRIMARY KEY, course_id TEXT NOT NULL, "
                          "text TEXT NOT NULL, pages INTEGER NOT NULL, vv TEXT NOT NULL, "
                          "hlc INTEGER NOT NULL, writer_replica TEXT NOT NULL, "
                          "writer_role TEXT NOT NULL, writer_user TEXT NOT NULL) STRICT;"
                          "CREATE TABLE course_note_count (course_id TEXT PRIMARY KEY, "
                          "n INTEGER NOT NULL) STRICT;")
                    .ok());
  }

  Status Upsert(const CourseNote& n) {
    const ShownStamp stamp{&vv_, 42, &writer_};
    return impl::UpsertRow(*db_, n, stamp);
  }

  std::string Raw(const std::string& sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return stmt->ColumnString(0);
  }

  std::unique_ptr<sqlite::Database> db_;
  std::string vv_ = "0123456789abcdef:1";
  Writer writer_{"0123456789abcdef", Role::kTeacher, "anna"};
};

TEST_F(KindTraitsTest, TheGenericUpsertWritesSealsAndReadsAKindItHasNeverSeen) {
  const CourseNote note{"N1", "C1", "Ayşe vraagt extra oefenstof   ", 2};
  ASSERT_TRUE(Upsert(note).ok());

  // Shown: the row holds the trimmed text; read back through the traits.
  Result<std::optional<CourseNote>> read = kinds::ReadById<CourseNote>(*db_, "N1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, (CourseNote{"N1", "C1", "Ayşe vraagt extra oefenstof", 2}));
  // The column marked unseal() is sealed at rest, the others are not.
  EXPECT_TRUE(Raw("SELECT text FROM course_note").starts_with("s1:"));
  EXPECT_EQ(Raw("SELECT course_id FROM course_note"), "C1");
  // The version columns come from the stamp.
  EXPECT_EQ(Raw("SELECT writer_user FROM course_note"), "anna");

  // A second write of the same id updates the row (the key is kKey), and
  // AfterUpsert ran once per write.
  ASSERT_TRUE(Upsert(CourseNote{"N1", "C1", "klaar", 3}).ok());
  read = kinds::ReadById<CourseNote>(*db_, "N1");
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->pages, 3);
  EXPECT_EQ((*read)->text, "klaar");
  EXPECT_EQ(Raw("SELECT count(*) FROM course_note"), "1");
  EXPECT_EQ(Raw("SELECT n FROM course_note_count WHERE course_id = 'C1'"), "2");

  const Result<std::optional<CourseNote>> missing = kinds::ReadById<CourseNote>(*db_, "N2");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(KindTraitsTest, ARowThatDoesNotOpenIsDataLossNamingTheKindNotTheText) {
  ASSERT_TRUE(Upsert(CourseNote{"N1", "C1", "geheim", 1}).ok());
  ASSERT_TRUE(db_->Exec("UPDATE course_note SET text = 's1:broken'").ok());
  const Result<std::optional<CourseNote>> read = kinds::ReadById<CourseNote>(*db_, "N1");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(read.status().message().find("course_note 'N1'"), std::string::npos);
  EXPECT_EQ(read.status().message().find("geheim"), std::string::npos);
}

TEST(KindTraitsBodyTest, TheBodyRoundTripsAndIsReadStrictly) {
  const CourseNote note{"N1", "C1", "regel 1\nregel \"2\"", 4};
  const Result<std::string> body = internal::EncodeBody(note);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, R"({"course_id":"C1","id":"N1","pages":4,"text":"regel 1\nregel \"2\""})");

  const Result<CourseNote> back = kinds::RecordFromBody<CourseNote>("N1", *body, "course_note: ");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, note);

  // The change-log row's id must be the body's.
  EXPECT_EQ(kinds::RecordFromBody<CourseNote>("N2", *body, "p: ").status().code(),
            StatusCode::kInvalidArgument);
  // A missing field is named, its neighbours' values are not.
  const Result<CourseNote> missing = kinds::RecordFromBody<CourseNote>(
      "N1", R"({"course_id":"C1","id":"N1","text":"geheim"})", "course_note 'N1': ");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "course_note 'N1': body field 'pages' is missing");
  EXPECT_EQ(kinds::RecordFromBody<CourseNote>("N1", "not json", "p: ").status().code(),
            StatusCode::kInvalidArgument);
  // Text that is not UTF-8 is refused when the body is made.
  EXPECT_EQ(internal::EncodeBody(CourseNote{"N1", "C1", "\xff", 1}).status().code(),
            StatusCode::kInvalidArgument);
  // And the kind's own checks are its traits'.
  EXPECT_FALSE(Traits::Validate(CourseNote{"N1", "C1", "", -1}).ok());
  EXPECT_TRUE(Traits::Validate(CourseNote{"N1", "C1", "", 0}).ok());
}

}  // namespace
}  // namespace presentie::storage::kind_traits_test
