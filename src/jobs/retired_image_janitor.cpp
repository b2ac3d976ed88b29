#include "jobs/retired_image_janitor.h"

#include <vector>

#include "jobs/variant_blob_keys.h"

namespace portrait::jobs {
namespace {

constexpr int kImagesPerBatch = 100;

// Returns false (with problem set) when some file of image could not be deleted.
bool DeleteVariantFiles(blob::BlobStore& blobs, const store::ProfileImage& image,
                        std::string& problem) {
  bool all_deleted = true;
  for (const std::string& key : AllVariantBlobKeys(image)) {
    if (Status deleted = blobs.Delete(key); !deleted.ok()) {
      problem = "deleting " + key + ": " + deleted.message();
      all_deleted = false;
    }
  }
  return all_deleted;
}

}  // namespace

JanitorPass DeleteExpiredImages(store::MetadataStore& store, blob::BlobStore& blobs, int64_t now) {
  JanitorPass pass;
  while (true) {
    std::vector<store::RetiredImage> batch = store.ListExpiredImages(now, kImagesPerBatch);
    int kept = 0;
    for (const store::RetiredImage& retired : batch) {
      if (!DeleteVariantFiles(blobs, retired.image, pass.problem)) {
        ++kept;
        continue;
      }
      store.ForgetRetiredImage(retired.image.image_id);
      ++pass.images_deleted;
    }
    // A full batch may hide more; but an image kept would come back first, so stop on any.
    if (static_cast<int>(batch.size()) < kImagesPerBatch || kept > 0) return pass;
  }
}

}  // namespace portrait::jobs
