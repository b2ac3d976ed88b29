#include "upload/multipart_parser.h"

#include <gtest/gtest.h>

#include "upload/multipart_test_support.h"

namespace portrait::upload {
namespace {

using test_support::FormBody;
using test_support::ParseInChunks;
using test_support::ParseOutcome;
using test_support::RecordingHandler;

constexpr std::string_view kBoundary = "xYzZY";

TEST(MultipartParser, ParsesPartsWithAndWithoutFilenameAndType) {
  ParseOutcome outcome = ParseInChunks(kBoundary,
                                       "--xYzZY\r\n"
                                       "Content-Disposition: form-data; name=\"image\"; "
                                       "filename=\"a.png\"\r\n"
                                       "Content-Type: image/png\r\n"
                                       "\r\n"
                                       "PNGDATA\r\n"
                                       "--xYzZY\r\n"
                                       "content-disposition: FORM-DATA; NAME=skip_status\r\n"
                                       "\r\n"
                                       "true\r\n"
                                       "--xYzZY--\r\n");
  ASSERT_TRUE(outcome.ok);
  ASSERT_EQ(outcome.parts.size(), 2u);
  EXPECT_EQ(outcome.parts[0].headers.name, "image");
  EXPECT_EQ(outcome.parts[0].headers.filename, "a.png");
  EXPECT_EQ(outcome.parts[0].headers.content_type, "image/png");
  EXPECT_FALSE(outcome.parts[0].headers.base64_encoded);
  EXPECT_EQ(outcome.parts[0].data, "PNGDATA");
  EXPECT_TRUE(outcome.parts[0].ended);
  EXPECT_EQ(outcome.parts[1].headers.name, "skip_status");
  EXPECT_EQ(outcome.parts[1].headers.filename, std::nullopt);
  EXPECT_EQ(outcome.parts[1].headers.content_type, "");
  EXPECT_EQ(outcome.parts[1].data, "true");
}

TEST(MultipartParser, ReportsBase64TransferEncodingInAnyCase) {
  ParseOutcome outcome = ParseInChunks(kBoundary,
                                       "--xYzZY\r\n"
                                       "Content-Disposition: form-data; name=image\r\n"
                                       "CONTENT-TRANSFER-ENCODING:  Base64 \r\n"
                                       "\r\n"
                                       "Zm9v\r\n"
                                       "--xYzZY--");
  ASSERT_TRUE(outcome.ok);
  ASSERT_EQ(outcome.parts.size(), 1u);
  EXPECT_TRUE(outcome.parts[0].headers.base64_encoded);
  EXPECT_EQ(outcome.parts[0].data, "Zm9v");
}

TEST(MultipartParser, IgnoresPreambleAndEpilogue) {
  std::string body = "This is a preamble with --xYzZY inside a line.\r\n" +
                     FormBody(kBoundary, {{"a", "1"}}) + "epilogue --xYzZY\r\n--xYzZY\r\n";
  ParseOutcome outcome = ParseInChunks(kBoundary, body);
  ASSERT_TRUE(outcome.ok);
  ASSERT_EQ(outcome.parts.size(), 1u);
  EXPECT_EQ(outcome.parts[0].data, "1");
}

TEST(MultipartParser, KeepsCrlfAndDashSequencesInsideBinaryContent) {
  // Near misses of "\r\n--xYzZY": each differs from a delimiter by one byte.
  std::string content = "\r\n--\r\n--xYzZ\r\n-xYzZY--xYzZY\r--xYzZY\n--xYzZY\r\r\n\n--";
  for (int i = 0; i < 256; ++i) {
    content.push_back(static_cast<char>(i));
  }
  content += "\r\n--xYzZ";
  ParseOutcome outcome = ParseInChunks(kBoundary, FormBody(kBoundary, {{"image", content}}));
  ASSERT_TRUE(outcome.ok);
  ASSERT_EQ(outcome.parts.size(), 1u);
  EXPECT_EQ(outcome.parts[0].data, content);
}

TEST(MultipartParser, AcceptsEmptyPartsAndPartsWithoutHeaders) {
  ParseOutcome outcome = ParseInChunks(kBoundary,
                                       "--xYzZY\r\n\r\nno headers\r\n--xYzZY\r\n"
                                       "Content-Disposition: form-data; name=e\r\n"
                                       "\r\n\r\n--xYzZY--");
  ASSERT_TRUE(outcome.ok);
  ASSERT_EQ(outcome.parts.size(), 2u);
  EXPECT_EQ(outcome.parts[0].headers.name, "");
  EXPECT_EQ(outcome.parts[0].data, "no headers");
  EXPECT_EQ(outcome.parts[1].headers.name, "e");
  EXPECT_EQ(outcome.parts[1].data, "");
}

TEST(MultipartParser, AcceptsBlanksAfterDelimiterFoldedHeadersAndBareLfHeaderLines) {
  ParseOutcome outcome = ParseInChunks(kBoundary,
                                       "--xYzZY \t\r\n"
                                       "Content-Disposition: form-data;\r\n"
                                       "\tname=\"image\"\n"
                                       "\n"
                                       "x\r\n--xYzZY--");
  ASSERT_TRUE(outcome.ok);
  ASSERT_EQ(outcome.parts.size(), 1u);
  EXPECT_EQ(outcome.parts[0].headers.name, "image");
  EXPECT_EQ(outcome.parts[0].data, "x");
}

TEST(MultipartParser, TakesTheFirstOfRepeatedPartHeaders) {
  ParseOutcome outcome = ParseInChunks(kBoundary,
                                       "--xYzZY\r\n"
                                       "Content-Disposition: form-data; name=first\r\n"
                                       "Content-Disposition: form-data; name=second\r\n"
                                       "\r\nx\r\n--xYzZY--");
  ASSERT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.parts.at(0).headers.name, "first");
}

TEST(MultipartParser, AcceptsABodyWithNoParts) {
  ParseOutcome outcome = ParseInChunks(kBoundary, "--xYzZY--\r\n");
  EXPECT_TRUE(outcome.ok);
  EXPECT_TRUE(outcome.parts.empty());
}

TEST(MultipartParser, RefusesABodyEndingBeforeTheCloseDelimiter) {
  ParseOutcome outcome = ParseInChunks(kBoundary, "--xYzZY\r\n\r\ntruncated data");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, MultipartError::kMissingCloseDelimiter);
  ASSERT_EQ(outcome.parts.size(), 1u);
  EXPECT_FALSE(outcome.parts[0].ended);
}

TEST(MultipartParser, RefusesABodyWithoutTheBoundary) {
  for (std::string_view body : {"", "garbage", "--other\r\n\r\nx\r\n--other--", "x--xYzZY--"}) {
    ParseOutcome outcome = ParseInChunks(kBoundary, body);
    EXPECT_EQ(outcome.error, MultipartError::kMissingCloseDelimiter) << body;
    EXPECT_TRUE(outcome.parts.empty()) << body;
  }
}

TEST(MultipartParser, RefusesADelimiterFollowedByOtherText) {
  for (std::string_view body : {"--xYzZYX\r\n", "--xYzZY-x", "--xYzZY  x\r\n", "--xYzZY\r\r"}) {
    EXPECT_EQ(ParseInChunks(kBoundary, body).error, MultipartError::kMalformedDelimiterLine)
        << body;
  }
}

TEST(MultipartParser, RefusesMalformedHeaderLines) {
  for (std::string_view header : {"no colon here", ": empty name", " folded first line"}) {
    std::string body = "--xYzZY\r\n" + std::string(header) + "\r\n\r\nx\r\n--xYzZY--";
    EXPECT_EQ(ParseInChunks(kBoundary, body).error, MultipartError::kMalformedPartHeader) << header;
  }
}

TEST(MultipartParser, RefusesPartHeadersOverTheLimit) {
  MultipartLimits limits{.max_parts = 4, .max_part_header_bytes = 64};
  std::string fits = "--xYzZY\r\nX: " + std::string(64 - 7, 'a') + "\r\n\r\n\r\n--xYzZY--";
  std::string over = "--xYzZY\r\nX: " + std::string(64 - 6, 'a') + "\r\n\r\n\r\n--xYzZY--";
  EXPECT_TRUE(ParseInChunks(kBoundary, fits, 0, limits).ok);
  EXPECT_EQ(ParseInChunks(kBoundary, over, 0, limits).error, MultipartError::kPartHeaderTooLarge);
  std::string endless = "--xYzZY\r\nX: " + std::string(10000, 'a');
  EXPECT_EQ(ParseInChunks(kBoundary, endless, 3, limits).error,
            MultipartError::kPartHeaderTooLarge);
}

TEST(MultipartParser, RefusesMorePartsThanTheLimit) {
  MultipartLimits limits{.max_parts = 3, .max_part_header_bytes = 8192};
  EXPECT_TRUE(
      ParseInChunks(kBoundary, FormBody(kBoundary, {{"a", ""}, {"b", ""}, {"c", ""}}), 0, limits)
          .ok);
  ParseOutcome outcome = ParseInChunks(
      kBoundary, FormBody(kBoundary, {{"a", ""}, {"b", ""}, {"c", ""}, {"d", ""}}), 0, limits);
  EXPECT_EQ(outcome.error, MultipartError::kTooManyParts);
  EXPECT_EQ(outcome.parts.size(), 3u);
}

TEST(MultipartParser, RefusesAnInvalidBoundaryWithoutCallingTheHandler) {
  for (const std::string& boundary : {std::string(), std::string("a\r\nb"), std::string(71, 'b')}) {
    ParseOutcome outcome = ParseInChunks(boundary, "--\r\n\r\n--");
    EXPECT_EQ(outcome.error, MultipartError::kInvalidBoundary);
    EXPECT_TRUE(outcome.parts.empty());
  }
}

TEST(MultipartParser, StopsCallingTheHandlerAfterAnError) {
  RecordingHandler handler;
  MultipartParser parser(kBoundary, handler);
  EXPECT_FALSE(parser.Feed("--xYzZY\r\nbad header\r\n\r\n"));
  EXPECT_FALSE(parser.Feed("\r\n--xYzZY\r\n\r\nmore\r\n--xYzZY--"));
  EXPECT_FALSE(parser.Finish());
  EXPECT_EQ(parser.error(), MultipartError::kMalformedPartHeader);
  EXPECT_TRUE(handler.parts.empty());
}

TEST(MultipartParser, IgnoresInputAfterFinish) {
  RecordingHandler handler;
  MultipartParser parser(kBoundary, handler);
  EXPECT_TRUE(parser.Feed("--xYzZY--"));
  EXPECT_TRUE(parser.Finish());
  EXPECT_TRUE(parser.Feed("--xYzZY\r\n\r\nlate\r\n--xYzZY--"));
  EXPECT_TRUE(parser.Finish());
  EXPECT_TRUE(handler.parts.empty());
}

TEST(BoundaryFromContentType, ReadsPlainQuotedAndTwurlForms) {
  EXPECT_EQ(BoundaryFromContentType("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(BoundaryFromContentType("multipart/form-data; boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(BoundaryFromContentType("multipart/form-data, boundary=\"00Twurl3172\""),
            "00Twurl3172");
  EXPECT_EQ(BoundaryFromContentType("Multipart/Form-Data; Boundary=Xy; charset=UTF-8"), "Xy");
  EXPECT_EQ(BoundaryFromContentType("multipart/form-data; charset=utf-8; boundary=----T4J-1"),
            "----T4J-1");
  EXPECT_EQ(BoundaryFromContentType("multipart/form-data;boundary===_Part_1=="), "==_Part_1==");
  EXPECT_EQ(BoundaryFromContentType("multipart/mixed; boundary=m"), "m");
}

TEST(BoundaryFromContentType, AcceptsSeventyByteBoundariesAndRefusesLonger) {
  std::string seventy(70, 'b');
  EXPECT_EQ(BoundaryFromContentType("multipart/form-data; boundary=" + seventy), seventy);
  EXPECT_EQ(BoundaryFromContentType("multipart/form-data; boundary=" + seventy + "b"),
            std::nullopt);
}

TEST(BoundaryFromContentType, RefusesMissingEmptyOrNonMultipart) {
  for (std::string_view type :
       {"multipart/form-data", "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"", "application/x-www-form-urlencoded; boundary=abc", "",
        "text/plain", "multipart/form-data; boundary=\"a\tb\""}) {
    EXPECT_EQ(BoundaryFromContentType(type), std::nullopt) << type;
  }
}

}  // namespace
}  // namespace portrait::upload
