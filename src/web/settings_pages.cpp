#include "web/layout.h"

namespace portrait::web {

Html ConnectedAppsPage(const Frame& frame, const std::vector<ConnectedAppView>& apps,
                       std::string_view notice) {
  Html list;
  for (const ConnectedAppView& connected : apps) {
    Html website;
    if (!connected.app.website.empty()) {
      website = Fill(R"(<a href="{{url}}" rel="noopener noreferrer">{{website}}</a>)",
                     {UrlSlot("url", connected.app.website), {"website", connected.app.website}});
    }
    list += Fill(R"(<li class="connected-app" data-app-id="{{app_id}}">
<p class="app-name">{{name}}</p>
<p class="app-description">{{description}}</p>
<p class="meta">{{access}} · authorized {{authorized_on}} {{website}}</p>
<form method="post" action="/settings/applications/revoke">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<input type="hidden" name="app_id" value="{{app_id}}">
<button type="submit" class="danger" id="revoke-{{app_id}}">Revoke access</button>
</form>
</li>
)",
                 {{"app_id", connected.app_id},
                  {"name", connected.app.name},
                  {"description", connected.app.description},
                  {"access", connected.app.read_write ? "Read and write" : "Read only"},
                  {"authorized_on", connected.authorized_on},
                  {"website", website},
                  {"csrf_token", frame.csrf_token}});
  }
  Html body;
  if (apps.empty()) {
    body = Markup(R"(<p id="no-apps">You have not authorized any app.</p>
)");
  } else {
    body = Fill(R"(<ul class="apps" id="apps">
{{list}}</ul>
)",
                {{"list", list}});
  }
  return Layout(frame, Fill(R"(<section class="card wide">
<h1>Connected apps</h1>
{{notice}}<p>These apps can use your account. Revoking an app ends every token it holds for you.</p>
{{body}}</section>)",
                            {{"notice", NoticeLine(notice)}, {"body", body}}));
}

Html ProfilePage(const Frame& frame, const ProfileView& view) {
  Html variants;
  for (const ImageVariantView& variant : view.variants) {
    Html size;
    if (variant.height > 0) {
      size = Fill(R"( width="{{width}}" height="{{height}}")",
                  {{"width", variant.width}, {"height", variant.height}});
    }
    variants += Fill(
        R"(<figure class="variant"><img src="{{url}}" alt="{{name}}"{{size}} data-variant="{{name}}"><figcaption>{{name}}</figcaption></figure>
)",
        {UrlSlot("url", variant.url), {"name", variant.name}, {"size", size}});
  }
  return Layout(frame, Fill(R"(<section class="card wide">
<h1>{{name}} <span class="screen-name">@{{screen_name}}</span></h1>
{{notice}}{{error}}<h2>Your profile image</h2>
<div class="variants" id="variants">
{{variants}}</div>
<h2>Upload a new image</h2>
<form method="post" action="/settings/profile" enctype="multipart/form-data" class="stack">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<label for="image">A GIF, JPEG or PNG of less than 700 KB</label>
<input type="file" id="image" name="image" accept="image/gif,image/jpeg,image/png" required>
<button type="submit" class="primary" id="upload">Upload</button>
</form>
</section>)",
                            {{"name", view.name},
                             {"screen_name", view.screen_name},
                             {"notice", NoticeLine(view.notice)},
                             {"error", ErrorLine(view.error)},
                             {"variants", variants},
                             {"csrf_token", view.csrf_token}}));
}

}  // namespace portrait::web
