#include "upload/intake.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "upload/base64.h"

namespace portrait::upload {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

constexpr std::string_view kFormType = "application/x-www-form-urlencoded";
constexpr std::string_view kMultipartType = "multipart/form-data; boundary=b0undary";
// Encodes to "++++////" in the standard alphabet: what form encoding mangles.
constexpr std::string_view kPlusSlashBytes = "\xFB\xEF\xBE\xFF\xFF\xFF";

std::string MultipartImage(std::string_view headers, std::string_view content) {
  return "--b0undary\r\nContent-Disposition: form-data; name=\"image\"" + std::string(headers) +
         "\r\n\r\n" + std::string(content) + "\r\n--b0undary--\r\n";
}

Result<IntakeResult, IntakeError> Extract(std::string_view type, std::string_view body,
                                          std::string_view query = "", IntakeLimits limits = {}) {
  return ExtractImage(type, body, query, limits);
}

std::optional<IntakeError> ErrorOf(const Result<IntakeResult, IntakeError>& result) {
  if (result.ok()) {
    return std::nullopt;
  }
  return result.error();
}

TEST(ExtractImage, KeepsRawPlusInAUrlencodedImageAsBase64Plus) {
  ASSERT_EQ(EncodeBase64(kPlusSlashBytes), "++++////");
  auto result = Extract(kFormType, "image=++++////");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, kPlusSlashBytes);
}

TEST(ExtractImage, ReadsAPercentEncodedSpaceInAUrlencodedImageAsBase64Plus) {
  // A proxy or client library that re-encodes '+' as %20 sends what the signature verifies as
  // spaces: the image must decode from the same value.
  for (std::string_view body : {"image=%20%20%20%20////", "image=+%2B%20+%2F%2F%2F%2F"}) {
    auto result = Extract(kFormType, body);
    ASSERT_TRUE(result.ok()) << body;
    EXPECT_EQ(result->image, kPlusSlashBytes) << body;
  }
  auto in_query = Extract("", "", "image=%20%20%20%20////");
  ASSERT_TRUE(in_query.ok());
  EXPECT_EQ(in_query->image, kPlusSlashBytes);
}

TEST(ExtractImage, KeepsSpacesAsWhitespaceInAMarkedBase64MultipartPart) {
  auto result =
      Extract(kMultipartType, MultipartImage("\r\nContent-Transfer-Encoding: base64", "Zm9v Yg=="));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, "foob");
}

TEST(ExtractImage, DecodesPercentEncodedBase64InAUrlencodedBody) {
  auto result = Extract(kFormType, "image=%2B%2B%2B%2B%2F%2F%2F%2F&tweet_mode=compat");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, kPlusSlashBytes);
  EXPECT_THAT(result->form, ElementsAre(Pair("tweet_mode", "compat")));
}

TEST(ExtractImage, AcceptsEveryBase64VariantInAUrlencodedBody) {
  for (std::string_view body :
       {"image=Zm9vYg%3D%3D", "image=Zm9vYg", "image=Zm9v%0D%0AYg%3D%3D", "image=Zm9v%0AYg",
        "image=data%3Aimage%2Fpng%3Bbase64%2CZm9vYg", "image=data:image/png;base64,Zm9vYg=="}) {
    auto result = Extract(kFormType, body);
    ASSERT_TRUE(result.ok()) << body;
    EXPECT_EQ(result->image, "foob") << body;
  }
  auto url_safe = Extract(kFormType, "image=----____");
  ASSERT_TRUE(url_safe.ok());
  EXPECT_EQ(url_safe->image, kPlusSlashBytes);
}

TEST(ExtractImage, AcceptsAFormTypeWithCharsetInAnyCase) {
  auto result = Extract("Application/X-WWW-Form-Urlencoded; charset=UTF-8", "image=Zm9v");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, "foo");
}

TEST(ExtractImage, TreatsAnUntypedFormLikeBodyAsUrlencoded) {
  auto result = Extract("", "skip_status=1&image=Zm9v\r\n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, "foo");
  EXPECT_THAT(result->form, ElementsAre(Pair("skip_status", "1")));
}

TEST(ExtractImage, IgnoresAnUntypedBinaryBody) {
  EXPECT_EQ(ErrorOf(Extract("", std::string_view("\x89PNG=\0", 6))), IntakeError::kMissing);
  EXPECT_EQ(ErrorOf(Extract("", "no equals sign")), IntakeError::kMissing);
}

TEST(ExtractImage, ReadsTheQueryStringImageWhenTheBodyHasNone) {
  for (std::string_view query : {"image=Zm9v", "?include_entities=1&image=Zm9v", "image=Zm9v&"}) {
    auto result = Extract("", "", query);
    ASSERT_TRUE(result.ok()) << query;
    EXPECT_EQ(result->image, "foo") << query;
  }
  auto with_form = Extract(kFormType, "tweet_mode=compat", "image=++++////");
  ASSERT_TRUE(with_form.ok());
  EXPECT_EQ(with_form->image, kPlusSlashBytes);
}

TEST(ExtractImage, PrefersTheBodyOverTheQuery) {
  auto urlencoded = Extract(kFormType, "image=Zm9v", "image=YmFy");
  ASSERT_TRUE(urlencoded.ok());
  EXPECT_EQ(urlencoded->image, "foo");
  auto multipart = Extract(kMultipartType, MultipartImage("", "raw"), "image=YmFy");
  ASSERT_TRUE(multipart.ok());
  EXPECT_EQ(multipart->image, "raw");
}

TEST(ExtractImage, FallsBackToTheQueryWhenAMultipartBodyHasNoImage) {
  std::string body =
      "--b0undary\r\nContent-Disposition: form-data; name=\"skip_status\"\r\n\r\n"
      "1\r\n--b0undary--\r\n";
  auto result = Extract(kMultipartType, body, "image=YmFy");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, "bar");
  EXPECT_THAT(result->form, ElementsAre(Pair("skip_status", "1")));
}

TEST(ExtractImage, ReportsAMissingOrEmptyImage) {
  EXPECT_EQ(ErrorOf(Extract(kFormType, "tweet_mode=compat")), IntakeError::kMissing);
  EXPECT_EQ(ErrorOf(Extract(kFormType, "image=")), IntakeError::kMissing);
  EXPECT_EQ(ErrorOf(Extract(kFormType, "image")), IntakeError::kMissing);
  EXPECT_EQ(ErrorOf(Extract(kFormType, "image=%0D%0A%09")), IntakeError::kMissing);
  EXPECT_EQ(ErrorOf(Extract(kFormType, "image=%0D%0A%20")), IntakeError::kBadBase64);  // "+"
  EXPECT_EQ(ErrorOf(Extract(kFormType, "image=", "image=Zm9v")), IntakeError::kMissing);
  EXPECT_EQ(ErrorOf(Extract("", "", "")), IntakeError::kMissing);
  EXPECT_EQ(ErrorOf(Extract(kMultipartType, MultipartImage("; filename=\"a.png\"", ""))),
            IntakeError::kMissing);
  EXPECT_EQ(ErrorOf(Extract(kMultipartType, "--b0undary--")), IntakeError::kMissing);
}

TEST(ExtractImage, ReportsBase64ThatDoesNotDecode) {
  EXPECT_EQ(ErrorOf(Extract(kFormType, "image=not*base64")), IntakeError::kBadBase64);
  EXPECT_EQ(ErrorOf(Extract(kFormType, "image=Zm9vY")), IntakeError::kBadBase64);
  EXPECT_EQ(ErrorOf(Extract("", "", "image=Zg%3D%3DZg")), IntakeError::kBadBase64);
  EXPECT_EQ(ErrorOf(Extract(kMultipartType,
                            MultipartImage("\r\nContent-Transfer-Encoding: base64", "@@@@"))),
            IntakeError::kBadBase64);
}

TEST(ExtractImage, ReportsAMultipartBodyThatDoesNotParse) {
  EXPECT_EQ(ErrorOf(Extract("multipart/form-data", MultipartImage("", "x"))),
            IntakeError::kMalformed);
  EXPECT_EQ(ErrorOf(Extract(kMultipartType, "garbage")), IntakeError::kMalformed);
  std::string truncated = MultipartImage("", "x");
  truncated.resize(truncated.size() - 8);
  EXPECT_EQ(ErrorOf(Extract(kMultipartType, truncated)), IntakeError::kMalformed);
  EXPECT_EQ(ErrorOf(Extract(kMultipartType, truncated, "image=Zm9v")), IntakeError::kMalformed);
}

TEST(ExtractImage, AppliesTheMultipartLimits) {
  std::string parts;
  for (int i = 0; i < 3; ++i) {
    parts += "--b0undary\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n";
  }
  std::string body = parts + MultipartImage("", "x");
  IntakeLimits limits{.max_parts = 3, .max_part_header_bytes = 8192};
  EXPECT_EQ(ErrorOf(Extract(kMultipartType, body, "", limits)), IntakeError::kMalformed);
  limits.max_parts = 4;
  EXPECT_TRUE(Extract(kMultipartType, body, "", limits).ok());
  limits.max_part_header_bytes = 16;
  EXPECT_EQ(ErrorOf(Extract(kMultipartType, body, "", limits)), IntakeError::kMalformed);
}

TEST(ExtractImage, TakesTheFirstOfDuplicateImageParts) {
  std::string body =
      "--b0undary\r\nContent-Disposition: form-data; name=image; filename=a\r\n"
      "\r\nfirst\r\n" +
      MultipartImage("; filename=b", "second");
  auto result = Extract(kMultipartType, body);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, "first");
}

TEST(ExtractImage, KeepsAnUnmarkedBase64PartAsRawBytes) {
  auto result = Extract(kMultipartType, MultipartImage("", "Zm9v"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, "Zm9v");
}

TEST(ExtractImage, DecodesAMarkedBase64PartWithLineBreaks) {
  auto result = Extract(
      kMultipartType, MultipartImage("\r\ncontent-transfer-encoding: BASE64", "Zm9v\r\nYmFy\r\n"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, "foobar");
}

TEST(ExtractImage, ReturnsTextPartsAsFormButDropsOtherFiles) {
  std::string body =
      "--b0undary\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"x\"\r\n"
      "\r\nfile bytes\r\n"
      "--b0undary\r\nContent-Disposition: form-data; name=\"skip_status\"\r\n\r\ntrue\r\n" +
      MultipartImage("; filename=\"a.png\"", "\x89PNG");
  auto result = Extract(kMultipartType, body);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->image, "\x89PNG");
  EXPECT_THAT(result->form, ElementsAre(Pair("skip_status", "true")));
}

}  // namespace
}  // namespace portrait::upload

namespace portrait::upload {
namespace {

TEST(ExtractImage, FindsTheNamedFieldInEveryEncodingAndLeavesImageToTheForm) {
  const IntakeLimits limits;
  auto form = ExtractImage("application/x-www-form-urlencoded", "image=aW1n&banner=YmFubmVy", "",
                           limits, "banner");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->image, "banner");
  EXPECT_EQ(FindParam(form->form, "image"), "aW1n");
  auto query = ExtractImage("", "", "?banner=YmFubmVy", limits, "banner");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->image, "banner");
  const std::string body =
      "--b0undary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"i.png\"\r\n\r\n"
      "raw image bytes\r\n--b0undary\r\nContent-Disposition: form-data; name=\"banner\"; "
      "filename=\"b.png\"\r\n\r\nraw banner bytes\r\n--b0undary--\r\n";
  auto multipart = ExtractImage(kMultipartType, body, "", limits, "banner");
  ASSERT_TRUE(multipart.ok());
  EXPECT_EQ(multipart->image, "raw banner bytes");
  auto missing = ExtractImage("", "", "?image=aW1n", limits, "banner");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), IntakeError::kMissing);
}

}  // namespace
}  // namespace portrait::upload
