#include "core/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace presentie {
namespace status_test {

TEST(StatusTest, OkAndToString) {
  EXPECT_TRUE(Status().ok());
  EXPECT_EQ(Status().ToString(), "ok");
  const Status s = NotFound("learner 'x' does not exist");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "not found: learner 'x' does not exist");
  EXPECT_EQ(StatusCodeName(StatusCode::kDataLoss), "data loss");
}

TEST(StatusTest, WithContext) {
  const Status s = InvalidArgument("BSN fails the elfproef").WithContext("learners.csv line 3");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "learners.csv line 3: BSN fails the elfproef");
  EXPECT_TRUE(Status::Ok().WithContext("ignored").ok());
  EXPECT_EQ(Status::Ok().WithContext("ignored").message(), "");
}

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgument("odd");
  return n / 2;
}

Result<int> Quarter(int n) {
  PRESENTIE_ASSIGN_OR_RETURN(int h, Half(n));
  PRESENTIE_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int n) {
  PRESENTIE_RETURN_IF_ERROR(Half(n).status());
  return Status::Ok();
}

TEST(ResultTest, ValueOrStatusAndMacros) {
  auto r = Quarter(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
  EXPECT_TRUE(r.status().ok());
  auto bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "odd");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(5).code(), StatusCode::kInvalidArgument);

  Result<std::unique_ptr<int>> owned(std::make_unique<int>(7));
  std::unique_ptr<int> p = std::move(owned).value();
  EXPECT_EQ(*p, 7);
}

}  // namespace status_test
}  // namespace presentie
