// Runs a rapidcheck property as a GoogleTest test with a case count of our
// own (rc::detail::checkGTest, rapidcheck/gtest.h, takes its parameters from
// RC_PARAMS alone). The count: PRESENTIE_PROPERTY_CASES (an environment
// variable) if set; else RC_PARAMS's max_success if it sets one; else the
// property's default. RC_PARAMS's other keys (seed=..., reproduce=...) work
// as usual.
//
//   PRESENTIE_PROPERTY(MergeProperty, SiblingOrderDoesNotMatter, 1000) {
//     const auto xs = *rc::gen::arbitrary<std::vector<int>>();
//     RC_ASSERT(...);
//   }
#ifndef PRESENTIE_TESTS_PROPERTY_H_
#define PRESENTIE_TESTS_PROPERTY_H_

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>

namespace presentie::testing {

inline int PropertyCases(int default_cases) {
  if (const char* env = std::getenv("PRESENTIE_PROPERTY_CASES"); env != nullptr && *env) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  if (const char* params = std::getenv("RC_PARAMS");
      params != nullptr && std::string(params).find("max_success") != std::string::npos) {
    return rc::detail::configuration().testParams.maxSuccess;
  }
  return default_cases;
}

template <typename Testable>
void CheckProperty(Testable&& testable, int default_cases) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  rc::detail::TestMetadata metadata;
  metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
  metadata.description = info->name();
  const rc::detail::Configuration& config = rc::detail::configuration();
  rc::detail::TestParams params = config.testParams;
  params.maxSuccess = PropertyCases(default_cases);
  // With RC_PARAMS="reproduce=...", rapidcheck's own path replays the case.
  const auto result =
      config.reproduce.empty()
          ? rc::detail::checkTestable(std::forward<Testable>(testable), metadata, params)
          : rc::detail::checkTestable(std::forward<Testable>(testable), metadata);
  if (!result.template is<rc::detail::SuccessResult>()) {
    std::ostringstream ss;
    rc::detail::printResultMessage(result, ss);
    FAIL() << ss.str();
  }
  const auto success = result.template get<rc::detail::SuccessResult>();
  EXPECT_GE(success.numSuccess, params.maxSuccess);
  if (!success.distribution.empty()) {
    rc::detail::printResultMessage(result, std::cout);
    std::cout << std::endl;
  }
}

}  // namespace presentie::testing

// RC_GTEST_PROP with the case count above.
#define PRESENTIE_PROPERTY(Suite, Name, default_cases)                                       \
  void presentieProperty_##Suite##_##Name();                                                 \
  TEST(Suite, Name) {                                                                        \
    ::presentie::testing::CheckProperty(&presentieProperty_##Suite##_##Name, default_cases); \
  }                                                                                          \
  void presentieProperty_##Suite##_##Name()

#endif  // PRESENTIE_TESTS_PROPERTY_H_
