#include "store/metadata_store_wrapper.h"

#include <gtest/gtest.h>

#include "store/sqlite_test_fixture.h"

namespace portrait::store {
namespace {

// The shape fault-injection tests take: override one call, let the rest reach the real store.
class FullDiskStore : public MetadataStoreWrapper {
 public:
  using MetadataStoreWrapper::MetadataStoreWrapper;
  UploadJob EnqueueUpload(const NewUploadJob&, int64_t) override {
    throw Fault("sqlite: database or disk is full");
  }
};

using MetadataStoreWrapperTest = SqliteStoreTest;

TEST_F(MetadataStoreWrapperTest, ForwardsCallsItDoesNotOverride) {
  FullDiskStore wrapper(*store_);
  Result<User, ProfileViolation> user = wrapper.CreateUser(NamedUser("wrapped"), kNow);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(store_->FindUserById(user->id)->screen_name, "wrapped");
  EXPECT_EQ(wrapper.FindUserByScreenName("WRAPPED")->id, user->id);
  EXPECT_THROW(wrapper.EnqueueUpload(NewUploadJob{.user_id = user->id,
                                                  .upload_blob_key = "uploads/x",
                                                  .format = "png",
                                                  .upload_bytes = 1},
                                     kNow),
               Fault);
  EXPECT_EQ(wrapper.CountPendingJobs(), 0);
}

}  // namespace
}  // namespace portrait::store
