#pragma once
// Internal to src/jobs: the janitor's two chores once a grace period has passed: deleting the
// files of replaced images, and the upload blobs of failed jobs.
#include <cstdint>
#include <string>

#include "blob/blob_store.h"
#include "store/metadata_store.h"

namespace portrait::jobs {

struct JanitorPass {
  int images_deleted = 0;   // all seven files gone and the image forgotten by the store
  int uploads_deleted = 0;  // failed jobs whose upload blob is gone (the job and its reason stay)
  std::string problem;      // the last blob deletion that failed; it is tried again next pass
};

// Deletes the files (RetiredBlobKeys: seven variants, or ten banner sizes) of every retired
// image or banner whose delete_after <= now, then has the store forget it. An image with a file
// that cannot be deleted (a blob fault) stays listed for the next pass. Store faults propagate
// (Fault).
JanitorPass DeleteExpiredImages(store::MetadataStore& store, blob::BlobStore& blobs, int64_t now);

// Deletes the upload blob of every failed job that failed at or before failed_before, then
// records it gone (MetadataStore::ForgetFailedJobUpload); the job row and its reason stay. A
// blob that cannot be deleted is tried again next pass. Store faults propagate (Fault).
JanitorPass DeleteFailedUploads(store::MetadataStore& store, blob::BlobStore& blobs,
                                int64_t failed_before);

}  // namespace portrait::jobs
