#include "upload/intake.h"

#include <optional>

#include "upload/base64.h"
#include "upload/header_parameters.h"
#include "upload/multipart_parser.h"

namespace portrait::upload {
namespace {

constexpr std::string_view kFormUrlEncoded = "application/x-www-form-urlencoded";
constexpr std::string_view kMultipartPrefix = "multipart/";

// Collects the first `image` part and the text fields, dropping other files as they stream by.
class IntakeCollector final : public MultipartHandler {
 public:
  explicit IntakeCollector(std::string_view field) : field_(field) {}
  void OnPartBegin(const PartHeaders& headers) override {
    if (headers.name == field_) {
      if (image_headers_) {
        destination_ = nullptr;
        return;
      }
      image_headers_ = headers;
      destination_ = &image_;
    } else if (!headers.filename && !headers.name.empty()) {
      form_.emplace_back(headers.name, std::string());
      destination_ = &form_.back().second;
    } else {
      destination_ = nullptr;
    }
  }
  void OnPartData(std::string_view bytes) override {
    if (destination_) {
      destination_->append(bytes);
    }
  }
  void OnPartEnd() override { destination_ = nullptr; }

  const std::optional<PartHeaders>& image_headers() const { return image_headers_; }
  std::string& image() { return image_; }
  Params& form() { return form_; }

 private:
  std::string_view field_;
  std::optional<PartHeaders> image_headers_;
  std::string image_;
  Params form_;
  std::string* destination_ = nullptr;  // where the current part's bytes go, if anywhere
};

bool LooksUrlEncoded(std::string_view body) {
  if (body.find('=') == std::string_view::npos) {
    return false;
  }
  for (unsigned char c : body) {
    bool printable = c >= 0x20 && c < 0x7F;
    if (!printable && c != '\r' && c != '\n' && c != '\t') {
      return false;
    }
  }
  return true;
}

Result<IntakeResult, IntakeError> ImageFromBase64(std::string_view text, Base64Source source,
                                                  IntakeResult result) {
  std::optional<std::string> decoded = DecodeBase64(text, source);
  if (!decoded) {
    return Failure{IntakeError::kBadBase64};
  }
  if (decoded->empty()) {
    return Failure{IntakeError::kMissing};
  }
  result.image = std::move(*decoded);
  return result;
}

// Splits form-encoded text as the OAuth signature does (ParseUrlEncoded): the first `image`
// value, decoded once, and the other pairs into result.form when collect_form.
std::optional<std::string> TakeFormImage(std::string_view text, std::string_view field,
                                         bool collect_form, IntakeResult& result) {
  std::optional<std::string> image;
  for (auto& [name, value] : ParseUrlEncoded(text)) {
    if (name != field) {
      if (collect_form) result.form.emplace_back(std::move(name), std::move(value));
    } else if (!image) {
      image = std::move(value);
    }
  }
  return image;
}

// nullopt: the body had no `image` part, so later sources may supply one.
std::optional<Result<IntakeResult, IntakeError>> ImageFromMultipart(std::string_view content_type,
                                                                    std::string_view body,
                                                                    const IntakeLimits& limits,
                                                                    std::string_view field,
                                                                    IntakeResult& result) {
  std::optional<std::string> boundary = BoundaryFromContentType(content_type);
  if (!boundary) {
    return Failure{IntakeError::kMalformed};
  }
  IntakeCollector collector(field);
  MultipartParser parser(
      *boundary, collector,
      {.max_parts = limits.max_parts, .max_part_header_bytes = limits.max_part_header_bytes});
  if (!parser.Feed(body) || !parser.Finish()) {
    return Failure{IntakeError::kMalformed};
  }
  result.form = std::move(collector.form());
  if (!collector.image_headers()) {
    return std::nullopt;
  }

  const PartHeaders& headers = *collector.image_headers();
  std::string& bytes = collector.image();
  if (headers.base64_encoded) {
    return ImageFromBase64(bytes, Base64Source::kRaw, std::move(result));
  }
  if (bytes.empty()) {
    return Failure{IntakeError::kMissing};
  }
  result.image = std::move(bytes);
  return result;
}

}  // namespace

Result<IntakeResult, IntakeError> ExtractImage(std::string_view content_type, std::string_view body,
                                               std::string_view query, const IntakeLimits& limits,
                                               std::string_view field) {
  IntakeResult result;
  HeaderValue media_type = ParseHeaderValue(content_type);
  if (media_type.token.starts_with(kMultipartPrefix)) {
    if (auto image = ImageFromMultipart(content_type, body, limits, field, result)) {
      return std::move(*image);
    }
  } else if (media_type.token == kFormUrlEncoded ||
             (media_type.token.empty() && LooksUrlEncoded(body))) {
    if (auto image = TakeFormImage(body, field, /*collect_form=*/true, result)) {
      return ImageFromBase64(*image, Base64Source::kFormDecoded, std::move(result));
    }
  }
  if (query.starts_with('?')) {
    query.remove_prefix(1);
  }
  if (auto image = TakeFormImage(query, field, /*collect_form=*/false, result)) {
    return ImageFromBase64(*image, Base64Source::kFormDecoded, std::move(result));
  }
  return Failure{IntakeError::kMissing};
}

}  // namespace portrait::upload
