#include "jobs/retired_image_janitor.h"

#include <vector>

#include "jobs/variant_blob_keys.h"

namespace portrait::jobs {
namespace {

constexpr int kPerBatch = 100;

// Returns false (with problem set) when the key could not be deleted. An invalid key names no
// blob, so there is nothing to delete.
bool DeleteBlob(blob::BlobStore& blobs, const std::string& key, std::string& problem) {
  try {
    (void)blobs.Delete(key);
    return true;
  } catch (const std::exception& fault) {
    problem = "deleting " + key + ": " + fault.what();
    return false;
  }
}

}  // namespace

JanitorPass DeleteExpiredImages(store::MetadataStore& store, blob::BlobStore& blobs, int64_t now) {
  JanitorPass pass;
  while (true) {
    std::vector<store::RetiredImage> batch = store.ListExpiredImages(now, kPerBatch);
    int kept = 0;
    for (const store::RetiredImage& retired : batch) {
      bool all_deleted = true;
      for (const std::string& key : RetiredBlobKeys(retired)) {
        all_deleted = DeleteBlob(blobs, key, pass.problem) && all_deleted;
      }
      if (!all_deleted) {
        ++kept;
        continue;
      }
      store.ForgetRetiredImage(retired.image.image_id);
      ++pass.images_deleted;
    }
    // A full batch may hide more; but an image kept would come back first, so stop on any.
    if (static_cast<int>(batch.size()) < kPerBatch || kept > 0) return pass;
  }
}

JanitorPass DeleteFailedUploads(store::MetadataStore& store, blob::BlobStore& blobs,
                                int64_t failed_before) {
  JanitorPass pass;
  while (true) {
    std::vector<store::UploadJob> batch = store.ListFailedJobUploads(failed_before, kPerBatch);
    for (const store::UploadJob& job : batch) {
      // A blob that cannot be deleted would come back first in the next batch: stop here.
      if (!DeleteBlob(blobs, job.upload_blob_key, pass.problem)) return pass;
      store.ForgetFailedJobUpload(job.id);
      ++pass.uploads_deleted;
    }
    if (static_cast<int>(batch.size()) < kPerBatch) return pass;
  }
}

}  // namespace portrait::jobs
