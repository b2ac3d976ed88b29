// Chunking and scale: the parser must give the same parts whatever the chunk edges, and stay
// linear in the bytes fed.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "upload/multipart_parser.h"
#include "upload/multipart_test_support.h"

namespace portrait::upload {
namespace {

using test_support::FormBody;
using test_support::ParseInChunks;
using test_support::ParseOutcome;
using test_support::RecordingHandler;

constexpr std::string_view kBoundary = "----Twitter4J-upload1234";
// Generous enough for sanitizer builds; a quadratic parser would take hours on these inputs.
constexpr auto kLinearTimeBudget = std::chrono::seconds(20);

std::string SampleBody() {
  static constexpr char kImage[] = "\x89PNG\r\n\x1A\n\0\r\n--\r\n----Twitter4J-upload123\r\n-";
  const std::string image(kImage, sizeof(kImage) - 1);
  return "preamble\r\n--" + std::string(kBoundary) +
         "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
         "Content-Type: image/png\r\n\r\n" +
         image + "\r\n--" + std::string(kBoundary) +
         "\r\nContent-Disposition: form-data; name=\"tweet_mode\"\r\n\r\nextended\r\n--" +
         std::string(kBoundary) + "--\r\nepilogue";
}

void ExpectSameParts(const ParseOutcome& actual, const ParseOutcome& expected) {
  ASSERT_EQ(actual.ok, expected.ok);
  ASSERT_EQ(actual.parts.size(), expected.parts.size());
  for (size_t i = 0; i < actual.parts.size(); ++i) {
    EXPECT_EQ(actual.parts[i].headers.name, expected.parts[i].headers.name);
    EXPECT_EQ(actual.parts[i].headers.filename, expected.parts[i].headers.filename);
    EXPECT_EQ(actual.parts[i].headers.content_type, expected.parts[i].headers.content_type);
    EXPECT_EQ(actual.parts[i].data, expected.parts[i].data);
    EXPECT_EQ(actual.parts[i].ended, expected.parts[i].ended);
  }
}

TEST(MultipartStreaming, GivesTheSamePartsWhereverTwoChunkEdgesFall) {
  std::string body = SampleBody();
  ParseOutcome whole = ParseInChunks(kBoundary, body);
  ASSERT_TRUE(whole.ok);
  ASSERT_EQ(whole.parts.size(), 2u);
  for (size_t first = 0; first <= body.size(); ++first) {
    for (size_t second = first; second <= body.size(); ++second) {
      RecordingHandler handler;
      MultipartParser parser(kBoundary, handler);
      parser.Feed(std::string_view(body).substr(0, first));
      parser.Feed(std::string_view(body).substr(first, second - first));
      parser.Feed(std::string_view(body).substr(second));
      bool ok = parser.Finish();
      ExpectSameParts(ParseOutcome{ok, parser.error(), std::move(handler.parts)}, whole);
      ASSERT_FALSE(::testing::Test::HasFailure()) << "edges at " << first << ", " << second;
    }
  }
}

TEST(MultipartStreaming, GivesTheSamePartsForEveryFixedChunkSize) {
  std::string body = SampleBody();
  ParseOutcome whole = ParseInChunks(kBoundary, body);
  for (size_t chunk = 1; chunk <= body.size(); ++chunk) {
    ExpectSameParts(ParseInChunks(kBoundary, body, chunk), whole);
    ASSERT_FALSE(::testing::Test::HasFailure()) << "chunk size " << chunk;
  }
}

TEST(MultipartStreaming, NeverDeliversEmptyDataPieces) {
  RecordingHandler handler;
  MultipartParser parser(kBoundary, handler);
  for (char c : SampleBody()) {
    parser.Feed(std::string_view(&c, 1));
  }
  EXPECT_TRUE(parser.Finish());
  EXPECT_EQ(handler.empty_data_calls, 0u);
}

TEST(MultipartStreaming, ParsesAMegabyteFedOneByteAtATimeInLinearTime) {
  // Content dense with CRs and delimiter near misses, the parser's slowest path.
  std::mt19937 random(42);
  std::string content(1 << 20, '\0');
  std::string_view pieces[] = {"\r", "\r\n", "\r\n-", "\r\n--", "\r\n----Twitter4J-upload", "x"};
  for (size_t i = 0; i < content.size();) {
    std::string_view piece = pieces[random() % std::size(pieces)];
    for (char c : piece) {
      if (i < content.size()) {
        content[i++] = c;
      }
    }
  }
  content.back() = 'x';
  std::string body = FormBody(kBoundary, {{"image", content}});

  auto start = std::chrono::steady_clock::now();
  ParseOutcome outcome = ParseInChunks(kBoundary, body, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, kLinearTimeBudget);
  ASSERT_TRUE(outcome.ok);
  ASSERT_EQ(outcome.parts.size(), 1u);
  EXPECT_EQ(outcome.parts[0].data, content);
}

TEST(MultipartStreaming, ParsesTenThousandTinyPartsInLinearTime) {
  constexpr size_t kParts = 10000;
  std::vector<std::pair<std::string, std::string>> fields;
  for (size_t i = 0; i < kParts; ++i) {
    fields.emplace_back("f" + std::to_string(i), "v");
  }
  std::string body = FormBody(kBoundary, fields);
  MultipartLimits limits{.max_parts = kParts, .max_part_header_bytes = 8192};

  auto start = std::chrono::steady_clock::now();
  ParseOutcome whole = ParseInChunks(kBoundary, body, 0, limits);
  ParseOutcome bytewise = ParseInChunks(kBoundary, body, 1, limits);
  EXPECT_LT(std::chrono::steady_clock::now() - start, kLinearTimeBudget);
  ASSERT_TRUE(whole.ok);
  ASSERT_EQ(whole.parts.size(), kParts);
  EXPECT_EQ(whole.parts.back().headers.name, "f9999");
  ExpectSameParts(bytewise, whole);
}

TEST(MultipartStreaming, RefusesTooManyTinyPartsWithoutReadingThemAll) {
  std::vector<std::pair<std::string, std::string>> fields(10000, {"f", "v"});
  ParseOutcome outcome = ParseInChunks(kBoundary, FormBody(kBoundary, fields), 7);
  EXPECT_EQ(outcome.error, MultipartError::kTooManyParts);
  EXPECT_EQ(outcome.parts.size(), MultipartLimits{}.max_parts);
}

TEST(MultipartStreaming, ParsesRandomChunkingsOfALargeBinaryBody) {
  std::mt19937 random(7);
  std::string content(300000, '\0');
  for (char& c : content) {
    c = static_cast<char>(random());
  }
  std::string body = FormBody(kBoundary, {{"image", content}, {"tweet_mode", "extended"}});
  for (int round = 0; round < 20; ++round) {
    RecordingHandler handler;
    MultipartParser parser(kBoundary, handler);
    for (size_t offset = 0; offset < body.size();) {
      size_t chunk = random() % 5000;
      parser.Feed(std::string_view(body).substr(offset, chunk));
      offset += chunk;
    }
    ASSERT_TRUE(parser.Finish());
    ASSERT_EQ(handler.parts.size(), 2u);
    EXPECT_EQ(handler.parts[0].data, content);
    EXPECT_EQ(handler.parts[1].data, "extended");
  }
}

}  // namespace
}  // namespace portrait::upload
