// Disk and database faults injected through the MetadataStore and BlobStore seams, seen end to
// end by a client: the real ApiHandler and http::Server on an ephemeral port, over a real SQLite
// file and a real file blob store, with the JobRunner's worker running. A transient fault while
// an upload is being accepted is a clear 503/130 that leaves no job, no new image file and the
// user's image as it was, and /readyz says why until writes work again; a fault while processing
// postpones the job; and everything works again once it clears.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>

#include "api/api_context.h"
#include "api/api_handler.h"
#include "blob/blob_store.h"
#include "common/random.h"
#include "common/time_format.h"
#include "http/server.h"
#include "http/test_client.h"
#include "image/variant_catalogue.h"
#include "jobs/job_runner.h"
#include "jobs/jobs_test_fixture.h"
#include "oauth/signature.h"
#include "store/metadata_store.h"
#include "store/metadata_store_wrapper.h"

namespace portrait::api {
namespace {

namespace fs = std::filesystem;
using jobs::testing::EncodedImage;
using jobs::testing::WaitFor;

constexpr std::string_view kInternalError =
    R"({"errors":[{"code":131,"message":"Internal error."}]})";
constexpr std::string_view kOverCapacity =
    R"({"errors":[{"code":130,"message":"Over capacity."}]})";
constexpr std::string_view kApiContentType = "application/json;charset=utf-8";
constexpr int kProcessingTimeoutMs = 20000;

// How a fault reads when it comes from the disk: what the file blob store and SQLite throw.
struct DiskFault {
  std::string name;
  std::string blob_message;   // in the fault a failed BlobStore::Put throws
  std::string store_message;  // in the TransientFault a SQLite statement throws
  bool storage_full = false;  // the blob fault is a StorageFullFault
  std::string readiness;      // what /readyz then names
};

void PrintTo(const DiskFault& fault, std::ostream* out) { *out << fault.name; }

const DiskFault kDiskFull{"DiskFull", "write: No space left on device", "database or disk is full",
                          true, "disk full"};
const DiskFault kFsyncFailure{"FsyncFailure", "fsync: Input/output error", "disk I/O error", false,
                              "blob store not writable"};
const DiskFault kWriteError{"WriteError", "write: Input/output error", "disk I/O error", false,
                            "blob store not writable"};

// Counts down the calls a fault still applies to (forever when negative).
class FaultSwitch {
 public:
  void Arm(std::string message, int times = -1) {
    std::lock_guard lock(mutex_);
    message_ = std::move(message);
    remaining_ = times;
  }
  void Clear() { Arm("", 0); }
  // The message when this call is to fail.
  std::optional<std::string> Trip() {
    std::lock_guard lock(mutex_);
    if (remaining_ == 0) return std::nullopt;
    if (remaining_ > 0) --remaining_;
    ++tripped_;
    return message_;
  }
  int tripped() {
    std::lock_guard lock(mutex_);
    return tripped_;
  }

 private:
  std::mutex mutex_;
  std::string message_;
  int remaining_ = 0;
  int tripped_ = 0;
};

// Fails Put of keys under a prefix while armed, as a full or broken disk would.
class FaultyBlobStore : public blob::BlobStoreWrapper {
 public:
  using BlobStoreWrapper::BlobStoreWrapper;

  void FailPutsUnder(std::string prefix, const DiskFault& fault, int times = -1) {
    {
      std::lock_guard lock(mutex_);
      prefix_ = std::move(prefix);
      storage_full_ = fault.storage_full;
    }
    puts_.Arm(fault.blob_message, times);
  }
  void Clear() { puts_.Clear(); }
  int failed_puts() { return puts_.tripped(); }

  Status Put(std::string_view key, std::string_view bytes) override {
    bool matches;
    bool storage_full;
    {
      std::lock_guard lock(mutex_);
      matches = key.starts_with(prefix_);
      storage_full = storage_full_;
    }
    if (matches) {
      if (auto message = puts_.Trip()) {
        const std::string what = "blob put " + std::string(key) + ": " + *message;
        if (storage_full) throw blob::StorageFullFault(what);
        throw TransientFault(what);
      }
    }
    return BlobStoreWrapper::Put(key, bytes);
  }

 private:
  std::mutex mutex_;
  std::string prefix_;         // guarded by mutex_
  bool storage_full_ = false;  // guarded by mutex_
  FaultSwitch puts_;
};

// Throws the TransientFault a SQLite statement on a full or failing disk throws, from the calls
// that are armed.
class FaultyStore : public store::MetadataStoreWrapper {
 public:
  using MetadataStoreWrapper::MetadataStoreWrapper;

  FaultSwitch enqueue_upload;
  FaultSwitch record_nonce;
  FaultSwitch find_user_by_id;  // a plain Fault: a corrupt database, which waiting does not clear
  FaultSwitch complete_job;     // fails before anything is written
  FaultSwitch complete_job_after_commit;  // the commit is durable, then the call fails

  store::UploadJob EnqueueUpload(const store::NewUploadJob& job, int64_t now) override {
    if (auto message = enqueue_upload.Trip())
      throw TransientFault("sqlite: insert upload job: " + *message);
    return MetadataStoreWrapper::EnqueueUpload(job, now);
  }
  bool RecordNonce(std::string_view consumer_key, std::string_view token, std::string_view nonce,
                   int64_t expires_at, int64_t now) override {
    if (auto message = record_nonce.Trip())
      throw TransientFault("sqlite: record nonce: " + *message);
    return MetadataStoreWrapper::RecordNonce(consumer_key, token, nonce, expires_at, now);
  }
  std::optional<store::User> FindUserById(int64_t id) override {
    if (auto message = find_user_by_id.Trip()) throw Fault("sqlite: find user: " + *message);
    return MetadataStoreWrapper::FindUserById(id);
  }
  bool CompleteJob(int64_t job_id, std::string_view worker, const store::ProfileImage& image,
                   int64_t now, int64_t retire_after) override {
    if (auto message = complete_job.Trip())
      throw TransientFault("sqlite: complete job: " + *message);
    const bool completed =
        MetadataStoreWrapper::CompleteJob(job_id, worker, image, now, retire_after);
    if (auto message = complete_job_after_commit.Trip()) {
      throw TransientFault("sqlite: complete job: " + *message);
    }
    return completed;
  }
};

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
};

// The jobs tests' real SQLite file, file blob store and user, served through the API.
class FaultInjectionTest : public jobs::testing::JobRunnerFixture {
 protected:
  static void SetUpTestSuite() { image::InitImageLibrary(1); }

  FaultInjectionTest() {
    faulty_store_.emplace(*store_);
    faulty_blobs_.emplace(*blobs_);
    // As the factories do: failed writes, injected ones too, reach /readyz.
    tracked_blobs_.emplace(*faulty_blobs_);
    store::App app = store_->CreateApp("fault test", NowSeconds());
    store::AccessToken token = store_->CreateAccessToken(user_id_, app.id, NowSeconds());
    credentials_ =
        oauth::ClientCredentials{app.consumer_key, app.consumer_secret, token.token, token.secret};
  }

  void SetUp() override {
    ApiOptions options;
    options.rate_limits.enabled = false;
    context_.emplace(*faulty_store_, *tracked_blobs_, options, [this] { runner_->Notify(); });

    jobs::JobOptions job_options;
    job_options.workers = 1;
    job_options.lease_seconds = 2;  // a job whose completion faulted is taken up again soon
    job_options.max_attempts = 20;
    job_options.retry_delay_seconds = 1;
    job_options.max_backoff_seconds = 1;
    job_options.poll_interval_ms = 50;
    job_options.janitor_interval_ms = 0;
    job_options.worker_name = "fault-test";
    runner_.emplace(*faulty_store_, *tracked_blobs_, job_options);
    runner_->Start();

    handler_.emplace(*context_);
    http::ServerOptions server_options;
    server_options.listeners.push_back(http::ListenerOptions{});
    server_options.access_log = false;
    server_ = std::make_unique<http::Server>(server_options, *handler_);
    port_ = server_->ports().at(0);
    serve_thread_ = std::thread([this] { server_->Run(/*handle_signals=*/false); });
  }

  void TearDown() override {
    server_->Stop();
    serve_thread_.join();
    runner_->Stop();
  }

  std::string Url(std::string_view target) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(target);
  }

  Reply Exchange(const std::string& request) {
    http::testing::TestConnection connection(port_);
    EXPECT_TRUE(connection.Send(request));
    auto response = connection.ReadResponse(/*head=*/false, /*timeout_ms=*/15000);
    if (!response) {
      ADD_FAILURE() << "no response to " << request.substr(0, request.find('\r'));
      return {};
    }
    return Reply{response->status, std::string(response->header("Content-Type").value_or("")),
                 response->body};
  }

  std::string Head(std::string_view method, std::string_view target, bool signed_request) {
    std::string head = std::string(method) + " " + std::string(target) +
                       " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                       "\r\nConnection: close\r\n";
    if (signed_request) {
      head +=
          "Authorization: " + oauth::AuthorizationHeader(credentials_, method, Url(target), {}) +
          "\r\n";
    }
    return head;
  }

  Reply Upload(const std::string& image) {
    const std::string boundary = "faultinjection" + RandomLowerAlphanumeric(12);
    const std::string body =
        "--" + boundary +
        "\r\nContent-Disposition: form-data; name=\"image\"; "
        "filename=\"a.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n" +
        image + "\r\n--" + boundary + "--\r\n";
    return Exchange(Head("POST", "/1.1/account/update_profile_image.json", true) +
                    "Content-Type: multipart/form-data; boundary=" + boundary +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }

  Reply ShowUser() {
    return Exchange(Head("GET", "/1.1/users/show.json?user_id=" + std::to_string(user_id_), true) +
                    "\r\n");
  }

  Reply Fetch(std::string_view path) { return Exchange(Head("GET", path, false) + "\r\n"); }

  // The path of the user's profile_image_url as users/show reports it now.
  std::string ImagePath() {
    Reply reply = ShowUser();
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return "";
    const std::string url(boost::json::parse(reply.body).at("profile_image_url").as_string());
    const std::string origin = Url("");
    EXPECT_EQ(url.rfind(origin, 0), 0u) << url;
    return url.substr(origin.size());
  }

  static std::string PathOf(const store::ProfileImage& image) {
    return "/profile_images/" + std::to_string(image.image_id) + "/" + image.key + "_normal." +
           image.extension;
  }

  // Every variant of the image whose _normal path is given answers 200 with an image.
  void ExpectServed(const std::string& normal_path) {
    const size_t cut = normal_path.rfind("_normal.");
    ASSERT_NE(cut, std::string::npos) << normal_path;
    const std::string stem = normal_path.substr(0, cut);
    const std::string extension = normal_path.substr(cut + std::string("_normal").size());
    for (const image::VariantSpec& variant : image::kProfileImageVariants) {
      const std::string_view suffix = variant.suffix;
      Reply reply = Fetch(stem + std::string(suffix) + extension);
      EXPECT_EQ(reply.status, 200) << stem << suffix << extension;
      EXPECT_EQ(reply.content_type.rfind("image/", 0), 0u) << reply.content_type;
      EXPECT_FALSE(reply.body.empty());
    }
  }

  static void ExpectInternalError(const Reply& reply) {
    EXPECT_EQ(reply.status, 500) << reply.body;
    EXPECT_EQ(reply.content_type, kApiContentType);
    EXPECT_EQ(reply.body, kInternalError);
  }

  static void ExpectOverCapacity(const Reply& reply) {
    EXPECT_EQ(reply.status, 503) << reply.body;
    EXPECT_EQ(reply.content_type, kApiContentType);
    EXPECT_EQ(reply.body, kOverCapacity);
  }

  // The problems /readyz names, or an empty list when it answers 200 ready.
  std::vector<std::string> ReadinessProblems() {
    Reply reply = Fetch("/readyz");
    std::vector<std::string> problems;
    boost::json::object body = boost::json::parse(reply.body).as_object();
    if (reply.status == 200) {
      EXPECT_EQ(body.at("status").as_string(), "ready");
      return problems;
    }
    EXPECT_EQ(reply.status, 503) << reply.body;
    for (const auto& problem : body.at("problems").as_array()) {
      problems.emplace_back(problem.as_string());
    }
    EXPECT_FALSE(problems.empty()) << reply.body;
    return problems;
  }

  // Every file in the blob store, as paths relative to its root.
  std::set<std::string> BlobFiles() {
    std::set<std::string> files;
    std::error_code missing;
    for (const auto& entry : fs::recursive_directory_iterator(root_ / "blobs", missing)) {
      if (entry.is_regular_file()) {
        files.insert(fs::relative(entry.path(), root_ / "blobs").generic_string());
      }
    }
    return files;
  }

  std::vector<store::UploadJob> Jobs() { return store_->ListJobs(std::nullopt, 1000); }

  store::UploadJob WaitForJobDone(int64_t job_id) {
    EXPECT_TRUE(WaitFor(
        [&] {
          auto job = store_->FindJob(job_id);
          return job && job->state == store::JobState::kDone;
        },
        kProcessingTimeoutMs))
        << "job " << job_id << " not done; last error: " << store_->FindJob(job_id)->last_error;
    return store_->FindJob(job_id).value_or(store::UploadJob{});
  }

  // Uploads an image with no fault armed and waits until it is the user's; its _normal path.
  std::string UploadAndWait(const std::string& image) {
    const size_t jobs_before = Jobs().size();
    Reply reply = Upload(image);
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<store::UploadJob> jobs = Jobs();
    EXPECT_EQ(jobs.size(), jobs_before + 1);
    if (jobs.size() != jobs_before + 1) return "";
    int64_t newest = 0;
    for (const auto& job : jobs) newest = std::max(newest, job.id);
    store::UploadJob done = WaitForJobDone(newest);
    EXPECT_TRUE(done.result.has_value());
    if (!done.result) return "";
    const std::string path = PathOf(*done.result);
    EXPECT_EQ(ImagePath(), path);
    return path;
  }

  std::optional<FaultyStore> faulty_store_;
  std::optional<FaultyBlobStore> faulty_blobs_;
  std::optional<blob::WriteHealthTracker> tracked_blobs_;
  oauth::ClientCredentials credentials_;

  std::optional<ApiContext> context_;
  std::optional<jobs::JobRunner> runner_;
  std::optional<ApiHandler> handler_;
  std::unique_ptr<http::Server> server_;
  uint16_t port_ = 0;
  std::thread serve_thread_;
};

class UploadBlobFaultTest : public FaultInjectionTest,
                            public ::testing::WithParamInterface<DiskFault> {};

TEST_P(UploadBlobFaultTest, AnUploadThatCannotBeStoredGets503AndLeavesNoTraceUntilTheFaultClears) {
  const std::string before = UploadAndWait(EncodedImage("jpeg", 90, 60));
  const std::set<std::string> files_before = BlobFiles();
  EXPECT_TRUE(ReadinessProblems().empty());

  faulty_blobs_->FailPutsUnder("", GetParam());
  ExpectOverCapacity(Upload(EncodedImage("png", 80, 70)));
  EXPECT_EQ(faulty_blobs_->failed_puts(), 1);
  EXPECT_EQ(ReadinessProblems(), std::vector<std::string>{GetParam().readiness});
  EXPECT_EQ(faulty_blobs_->failed_puts(), 2) << "readiness tried a probe write of its own";

  EXPECT_EQ(Jobs().size(), 1u) << "no job for the refused upload";
  EXPECT_EQ(store_->CountPendingJobs(), 0);
  EXPECT_EQ(BlobFiles(), files_before) << "no partial upload or variant file";
  EXPECT_EQ(ImagePath(), before);
  ExpectServed(before);

  faulty_blobs_->Clear();
  EXPECT_TRUE(ReadinessProblems().empty()) << "ready again once a write succeeds";
  const std::string after = UploadAndWait(EncodedImage("png", 80, 70));
  EXPECT_NE(after, before);
  EXPECT_NE(after.find(".png"), std::string::npos) << after;
  ExpectServed(after);
}

INSTANTIATE_TEST_SUITE_P(DiskFaults, UploadBlobFaultTest,
                         ::testing::Values(kDiskFull, kFsyncFailure, kWriteError),
                         [](const auto& info) { return info.param.name; });

class EnqueueFaultTest : public FaultInjectionTest,
                         public ::testing::WithParamInterface<DiskFault> {};

TEST_P(EnqueueFaultTest, AnUploadWhoseJobCannotBeRecordedGets503AndChangesNothingVisible) {
  const std::string before = UploadAndWait(EncodedImage("gif", 64, 40));
  const std::set<std::string> files_before = BlobFiles();

  faulty_store_->enqueue_upload.Arm(GetParam().store_message);
  ExpectOverCapacity(Upload(EncodedImage("jpeg", 100, 50)));
  EXPECT_EQ(faulty_store_->enqueue_upload.tripped(), 1);

  EXPECT_EQ(Jobs().size(), 1u) << "no job row for the refused upload";
  EXPECT_EQ(store_->CountPendingJobs(), 0);
  for (const std::string& file : BlobFiles()) {
    if (!files_before.contains(file)) {
      EXPECT_EQ(file.rfind("uploads/", 0), 0u) << "a new file outside uploads/: " << file;
    }
  }
  EXPECT_EQ(ImagePath(), before);
  ExpectServed(before);

  faulty_store_->enqueue_upload.Clear();
  const std::string after = UploadAndWait(EncodedImage("jpeg", 100, 50));
  EXPECT_NE(after, before);
  ExpectServed(after);
}

INSTANTIATE_TEST_SUITE_P(DiskFaults, EnqueueFaultTest, ::testing::Values(kDiskFull, kFsyncFailure),
                         [](const auto& info) { return info.param.name; });

// The upload's bytes are stored before its job row: when the row cannot be written, the bytes
// are removed again rather than left in uploads/ referenced by nothing.
TEST_F(FaultInjectionTest, AnUploadWhoseJobCannotBeRecordedLeavesNoUploadFile) {
  faulty_store_->enqueue_upload.Arm(kDiskFull.store_message);
  ExpectOverCapacity(Upload(EncodedImage("jpeg", 100, 50)));
  EXPECT_EQ(BlobFiles(), std::set<std::string>{});
}

// A transient fault is 503/130 on every endpoint; a fault that waiting does not clear, 500/131.
TEST_F(FaultInjectionTest, AStoreFaultWhileAuthenticatingOrReadingGets503Or500ThenRecovers) {
  faulty_store_->record_nonce.Arm(kFsyncFailure.store_message);
  ExpectOverCapacity(ShowUser());
  ExpectOverCapacity(Upload(EncodedImage("jpeg", 40, 40)));
  EXPECT_TRUE(Jobs().empty());
  faulty_store_->record_nonce.Clear();

  faulty_store_->find_user_by_id.Arm("database disk image is malformed");
  ExpectInternalError(ShowUser());
  ExpectInternalError(Upload(EncodedImage("jpeg", 40, 40)));
  EXPECT_TRUE(Jobs().empty());
  faulty_store_->find_user_by_id.Clear();

  EXPECT_EQ(ImagePath(), "/sticky/default_profile_images/default_profile_normal.png");
  ExpectServed(UploadAndWait(EncodedImage("jpeg", 40, 40)));
}

// Errors on pages are pages: a fault behind a signed-in page is an HTML 500 with the page headers,
// not the API's JSON, and the page works once the fault clears.
TEST_F(FaultInjectionTest, APageThatMeetsAStoreFaultIsAnHtmlErrorPageThenRecovers) {
  const signin::StartedSession session = context_->sessions.Start(user_id_, NowSeconds());
  const std::string request = Head("GET", "/settings/profile", false) +
                              "Cookie: portrait_session=" + session.cookie_value + "\r\n\r\n";
  auto fetch = [&] {
    http::testing::TestConnection connection(port_);
    EXPECT_TRUE(connection.Send(request));
    return connection.ReadResponse(/*head=*/false, /*timeout_ms=*/15000);
  };
  faulty_store_->find_user_by_id.Arm("database disk image is malformed");
  auto failed = fetch();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(failed->header("Content-Type").value_or(""), "text/html;charset=utf-8");
  EXPECT_EQ(failed->header("X-Frame-Options").value_or(""), "DENY");
  EXPECT_NE(failed->body.find("Something went wrong"), std::string::npos) << failed->body;
  EXPECT_EQ(failed->body.find("malformed"), std::string::npos) << "the fault stays in the log";
  faulty_store_->find_user_by_id.Clear();

  auto recovered = fetch();
  ASSERT_TRUE(recovered);
  EXPECT_EQ(recovered->status, 200);
  EXPECT_NE(recovered->body.find("default_profile_400x400.png"), std::string::npos);
}

TEST_F(FaultInjectionTest, AVariantThatCannotBeStoredIsPostponedAndDoneOnceTheDiskRecovers) {
  const std::string before = UploadAndWait(EncodedImage("jpeg", 90, 60));
  const std::set<std::string> files_before = BlobFiles();

  faulty_blobs_->FailPutsUnder("profile_images/", kDiskFull);
  Reply accepted = Upload(EncodedImage("png", 120, 90));
  ASSERT_EQ(accepted.status, 200) << "the upload itself was stored: " << accepted.body;
  std::vector<store::UploadJob> jobs = Jobs();
  ASSERT_EQ(jobs.size(), 2u);
  const int64_t job_id = std::max(jobs[0].id, jobs[1].id);

  // Two attempts have met the full disk and the job waits for its backoff.
  ASSERT_TRUE(WaitFor(
      [&] {
        store::UploadJob job = *store_->FindJob(job_id);
        return job.transient_failures >= 2 && job.state == store::JobState::kQueued;
      },
      kProcessingTimeoutMs));
  store::UploadJob failing = *store_->FindJob(job_id);
  EXPECT_NE(failing.state, store::JobState::kFailed);
  EXPECT_NE(failing.last_error.find("No space left on device"), std::string::npos)
      << failing.last_error;
  EXPECT_EQ(ImagePath(), before) << "the user keeps the old image while processing fails";
  for (const std::string& file : BlobFiles()) {
    EXPECT_TRUE(files_before.contains(file) || file.rfind("uploads/", 0) == 0)
        << "a failed attempt left a variant behind: " << file;
  }

  faulty_blobs_->Clear();
  store::UploadJob done = WaitForJobDone(job_id);
  ASSERT_TRUE(done.result.has_value());
  EXPECT_GE(done.attempts, 3);
  EXPECT_EQ(done.attempts - done.transient_failures, 1) << "postponed attempts do not count";
  EXPECT_TRUE(ReadinessProblems().empty());
  EXPECT_EQ(ImagePath(), PathOf(*done.result));
  ExpectServed(PathOf(*done.result));
  EXPECT_FALSE(blobs_->Get(done.upload_blob_key).has_value()) << "the upload is removed once done";
}

TEST_F(FaultInjectionTest, AFaultWhileCompletingIsRetriedByItsWorkerAndTheUserGetsTheImage) {
  const std::string before = UploadAndWait(EncodedImage("gif", 50, 50));

  faulty_store_->complete_job.Arm(kWriteError.store_message);
  ASSERT_EQ(Upload(EncodedImage("jpeg", 70, 110)).status, 200);
  ASSERT_TRUE(
      WaitFor([&] { return faulty_store_->complete_job.tripped() >= 1; }, kProcessingTimeoutMs));
  EXPECT_EQ(ImagePath(), before);
  faulty_store_->complete_job.Clear();

  std::vector<store::UploadJob> jobs = Jobs();
  ASSERT_EQ(jobs.size(), 2u);
  store::UploadJob done = WaitForJobDone(std::max(jobs[0].id, jobs[1].id));
  ASSERT_TRUE(done.result.has_value());
  EXPECT_EQ(done.attempts, 1) << "its worker held the job until the store took the completion";
  EXPECT_EQ(ImagePath(), PathOf(*done.result));
  ExpectServed(PathOf(*done.result));
}

TEST_F(FaultInjectionTest, ACompletionThatCommittedBeforeItsFaultKeepsTheNewImageServed) {
  faulty_store_->complete_job_after_commit.Arm(kFsyncFailure.store_message, 1);
  ASSERT_EQ(Upload(EncodedImage("png", 60, 60)).status, 200);
  ASSERT_TRUE(WaitFor([&] { return faulty_store_->complete_job_after_commit.tripped() == 1; },
                      kProcessingTimeoutMs));

  std::vector<store::UploadJob> jobs = Jobs();
  ASSERT_EQ(jobs.size(), 1u);
  store::UploadJob done = WaitForJobDone(jobs[0].id);
  ASSERT_TRUE(done.result.has_value());
  EXPECT_EQ(done.attempts, 1);
  EXPECT_EQ(ImagePath(), PathOf(*done.result));
  // Variants that may be referenced are never deleted, even when their completion faulted.
  ExpectServed(PathOf(*done.result));
}

}  // namespace
}  // namespace portrait::api
