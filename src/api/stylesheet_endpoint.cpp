// GET /static/portrait.css: the pages' one stylesheet (web/pages.h), from memory.
#include "api/endpoints.h"
#include "web/pages.h"

namespace portrait::api {

http::Response ServeStylesheet(ApiContext& context, const http::Request& request, Call& call) {
  http::Response response;
  response.set("Content-Type", "text/css;charset=utf-8");
  response.set("Cache-Control", "public, max-age=3600");
  response.set("X-Content-Type-Options", "nosniff");
  response.body = std::string(web::Stylesheet());
  return response;
}

}  // namespace portrait::api
