// `portrait upload` and `portrait get`: Portrait's own client, signing requests with OAuth 1.0a
// the way Twitter clients do (multipart bodies unsigned, urlencoded bodies signed).
#include <curl/curl.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/command.h"
#include "cli/output.h"
#include "common/url_encoding.h"
#include "image/variant_catalogue.h"
#include "oauth/signature.h"
#include "upload/base64.h"

namespace portrait::cli {
namespace {

namespace json = boost::json;

constexpr std::string_view kUploadPath = "/1.1/account/update_profile_image.json";
constexpr std::string_view kVerifyPath = "/1.1/account/verify_credentials.json";
constexpr long kConnectTimeoutSeconds = 10;

struct HttpResult {
  long status = 0;
  std::string body;
};

// From --credentials FILE, with any key given as its own flag taking precedence.
oauth::ClientCredentials LoadCredentials(const Flags& flags) {
  oauth::ClientCredentials credentials;
  if (auto file = flags.get("credentials")) {
    std::ifstream in(*file);
    if (!in) throw UsageError("cannot read " + *file);
    std::stringstream text;
    text << in.rdbuf();
    json::object o = json::parse(text.str()).as_object();
    credentials.consumer_key = o.at("consumer_key").as_string();
    credentials.consumer_secret = o.at("consumer_secret").as_string();
    credentials.token = o.at("access_token").as_string();
    credentials.token_secret = o.at("access_token_secret").as_string();
    credentials.consumer_key = flags.get("consumer-key").value_or(credentials.consumer_key);
    credentials.consumer_secret =
        flags.get("consumer-secret").value_or(credentials.consumer_secret);
    credentials.token = flags.get("token").value_or(credentials.token);
    credentials.token_secret = flags.get("token-secret").value_or(credentials.token_secret);
    return credentials;
  }
  credentials.consumer_key = flags.require("consumer-key");
  credentials.consumer_secret = flags.require("consumer-secret");
  credentials.token = flags.require("token");
  credentials.token_secret = flags.require("token-secret");
  return credentials;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read " + path);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

class Client {
 public:
  Client(const Flags& flags)
      : credentials_(LoadCredentials(flags)), insecure_(flags.has("insecure")) {
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
    cacert_ = flags.get("cacert");
  }
  ~Client() { curl_easy_cleanup(curl_); }

  // url has no query; params go to the query (GET) and are signed.
  HttpResult Get(const std::string& url, const Params& params) {
    std::string query;
    for (const auto& [name, value] : params) {
      query += (query.empty() ? "" : "&") + PercentEncode(name) + "=" + PercentEncode(value);
    }
    Reset();
    std::string header =
        "Authorization: " + oauth::AuthorizationHeader(credentials_, "GET", url, params);
    return Perform(query.empty() ? url : url + "?" + query, header, nullptr, nullptr);
  }

  HttpResult PostMultipart(const std::string& url, const std::string& image,
                           const std::string& filename) {
    Reset();
    curl_mime* mime = curl_mime_init(curl_);
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, "image");
    curl_mime_data(part, image.data(), image.size());
    curl_mime_filename(part, filename.c_str());
    curl_easy_setopt(curl_, CURLOPT_MIMEPOST, mime);
    std::string header =
        "Authorization: " + oauth::AuthorizationHeader(credentials_, "POST", url, {});
    HttpResult result = Perform(url, header, nullptr, nullptr);
    curl_mime_free(mime);
    return result;
  }

  HttpResult PostForm(const std::string& url, const Params& params) {
    Reset();
    std::string body;
    for (const auto& [name, value] : params) {
      body += (body.empty() ? "" : "&") + PercentEncode(name) + "=" + PercentEncode(value);
    }
    std::string header =
        "Authorization: " + oauth::AuthorizationHeader(credentials_, "POST", url, params);
    return Perform(url, header, "application/x-www-form-urlencoded", &body);
  }

 private:
  void Reset() { curl_easy_reset(curl_); }

  HttpResult Perform(const std::string& url, const std::string& authorization,
                     const char* content_type, const std::string* body) {
    HttpResult result;
    curl_slist* headers = curl_slist_append(nullptr, authorization.c_str());
    headers = curl_slist_append(headers, "Expect:");
    std::string type_header;
    if (content_type) {
      type_header = std::string("Content-Type: ") + content_type;
      headers = curl_slist_append(headers, type_header.c_str());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    }
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, AppendBody);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 60L);
    if (insecure_) {
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (cacert_) curl_easy_setopt(curl_, CURLOPT_CAINFO, cacert_->c_str());
    CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    if (code != CURLE_OK)
      throw std::runtime_error(std::string("request failed: ") + curl_easy_strerror(code));
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &result.status);
    return result;
  }

  oauth::ClientCredentials credentials_;
  bool insecure_;
  std::optional<std::string> cacert_;
  CURL* curl_ = nullptr;
};

std::string ImageUrl(const std::string& body) {
  json::value user = json::parse(body);
  return std::string(user.at("profile_image_url_https").as_string());
}

void PrintVariantUrls(const std::string& normal_url) {
  size_t marker = normal_url.rfind(std::string(image::kLinkedSuffix) + ".");
  std::string stem = normal_url.substr(0, marker);
  std::string ext = normal_url.substr(marker + image::kLinkedSuffix.size());
  for (const image::VariantSpec& variant : image::kProfileImageVariants) {
    std::printf("  %s%s%s\n", stem.c_str(), std::string(variant.suffix).c_str(), ext.c_str());
  }
}

int Upload(const Flags& flags) {
  const std::string base = flags.require("url");
  const std::string path = flags.require("image");
  const std::string image = ReadFile(path);
  Client client(flags);
  const std::string upload_url = base + std::string(kUploadPath);
  HttpResult result;
  if (flags.get("encoding").value_or("multipart") == "base64") {
    result = client.PostForm(upload_url, {{"image", upload::EncodeBase64(image)}});
  } else {
    result = client.PostMultipart(upload_url, image, path.substr(path.rfind('/') + 1));
  }
  if (result.status != 200) {
    std::fprintf(stderr, "upload refused: HTTP %ld %s\n", result.status, result.body.c_str());
    return 1;
  }
  const std::string before = ImageUrl(result.body);
  if (!flags.has("wait")) {
    std::printf("%s\n", result.body.c_str());
    return 0;
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(flags.integer("timeout-seconds", 30));
  while (std::chrono::steady_clock::now() < deadline) {
    HttpResult user = client.Get(base + std::string(kVerifyPath), {});
    if (user.status == 200 && ImageUrl(user.body) != before) {
      std::printf("new profile image is live:\n");
      PrintVariantUrls(ImageUrl(user.body));
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::fprintf(stderr, "upload accepted, but the new image was not live within the timeout\n");
  return 1;
}

int Get(const Flags& flags) {
  std::string url = flags.require("url");
  std::string query;
  if (size_t q = url.find('?'); q != std::string::npos) {
    query = url.substr(q + 1);
    url.resize(q);
  }
  Client client(flags);
  HttpResult result = client.Get(url, ParseUrlEncoded(query));
  std::printf("%s\n", result.body.c_str());
  return result.status == 200 ? 0 : 1;
}

const char* kCredentialUsage =
    "  --credentials FILE       JSON from 'portrait credentials create', or:\n"
    "  --consumer-key K --consumer-secret S --token T --token-secret S\n"
    "  --cacert FILE            trust this CA (https)\n"
    "  --insecure               do not verify the server's certificate\n";

}  // namespace

std::vector<Command> UploadCommands() {
  const std::set<std::string> credential_flags = {"credentials", "consumer-key", "consumer-secret",
                                                  "token",       "token-secret", "cacert"};
  std::set<std::string> upload_flags = credential_flags;
  upload_flags.insert({"url", "image", "encoding", "timeout-seconds"});
  std::set<std::string> get_flags = credential_flags;
  get_flags.insert("url");
  return {
      {{"upload"},
       "sign and post a profile image as a Twitter client does; --wait until its URL is live",
       std::string(
           "  --url BASE               e.g. http://127.0.0.1:8080 (required)\n"
           "  --image FILE             a GIF, JPEG or PNG (required)\n"
           "  --encoding multipart|base64   multipart raw bytes (default) or a signed form\n"
           "  --wait                   poll verify_credentials until the new URL is live\n"
           "  --timeout-seconds N      how long --wait waits (default 30)\n") +
           kCredentialUsage,
       upload_flags,
       {"wait", "insecure"},
       Upload},
      {{"get"},
       "sign and send a GET request; print the response body",
       std::string("  --url URL                full URL with query (required)\n") +
           kCredentialUsage,
       get_flags,
       {"insecure"},
       Get},
  };
}

}  // namespace portrait::cli
