#include "api/endpoints.h"
#include "common/time_format.h"
#include "http/access_log.h"

namespace portrait::api {

http::Response Healthz(ApiContext&, const http::Request&, Call&) {
  return JsonResponse("{\"status\":\"ok\"}");
}

// Ready when the metadata store answers, the blob store can be written and the upload queue is
// below its bound; 503 with the reasons otherwise ("disk full", "blob store not writable", ...:
// see BlobStore::CheckHealth), so a load balancer can route around.
http::Response Readiness(ApiContext& context, const http::Request&, Call&) {
  std::string problems;
  try {
    if (context.store.CountPendingJobs() >= context.options.max_pending_jobs) {
      problems += "\"upload queue full\",";
    }
  } catch (const std::exception&) {
    problems += "\"metadata store unreachable\",";
  }
  if (Status blobs = context.blobs.CheckHealth(); !blobs.ok()) {
    problems += http::JsonQuoted(blobs.message()) + ",";
  }
  if (problems.empty()) return JsonResponse("{\"status\":\"ready\"}");
  problems.pop_back();
  return JsonResponse("{\"status\":\"unavailable\",\"problems\":[" + problems + "]}", 503);
}

http::Response MetricsText(ApiContext& context, const http::Request&, Call&) {
  http::Response metrics;
  metrics.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  metrics.body = context.metrics.Render(context.store, NowSeconds());
  return metrics;
}

}  // namespace portrait::api
