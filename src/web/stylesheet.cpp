#include "web/pages.h"

namespace portrait::web {
namespace {

// One small sheet for every page: a centred card that fills a phone's width and stays
// readable on a desktop; system fonts, no images, nothing fetched from elsewhere.
constexpr std::string_view kStylesheet = R"(:root {
  --ink: #14171a; --muted: #586069; --line: #d9dee3; --paper: #ffffff; --ground: #f5f8fa;
  --accent: #1d74c9; --accent-ink: #ffffff; --danger: #b3261e; --ok: #1e6b34;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--ground); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--accent); }
.bar {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem;
  padding: .75rem 1rem; background: var(--paper); border-bottom: 1px solid var(--line);
}
.brand { font-weight: 700; font-size: 1.15rem; color: var(--ink); text-decoration: none; }
nav { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; }
main { padding: 1rem; }
.card {
  max-width: 30rem; margin: 1rem auto; padding: 1.25rem 1.25rem 1.5rem; background: var(--paper);
  border: 1px solid var(--line); border-radius: .75rem;
}
.card.wide { max-width: 46rem; }
h1 { font-size: 1.4rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
.screen-name, .hint, .aside, .meta { color: var(--muted); }
.hint { font-size: .875rem; margin: -.25rem 0 .25rem; }
.stack { display: flex; flex-direction: column; gap: .5rem; }
label { font-weight: 600; }
input[type=text], input[type=password], input[type=file] {
  width: 100%; padding: .6rem .7rem; font: inherit; border: 1px solid var(--line);
  border-radius: .5rem; background: var(--paper);
}
button {
  font: inherit; padding: .6rem 1.1rem; border-radius: 999px; border: 1px solid var(--line);
  background: var(--paper); color: var(--ink); cursor: pointer;
}
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); font-weight: 600; }
button.danger { color: var(--danger); border-color: var(--danger); }
button.link { border: 0; padding: 0; background: none; color: var(--accent); text-decoration: underline; }
.buttons { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
form.inline { display: inline; }
.error { color: var(--danger); background: #fdecea; padding: .5rem .75rem; border-radius: .5rem; }
.notice { color: var(--ok); background: #e8f5ec; padding: .5rem .75rem; border-radius: .5rem; }
.app { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; }
.app-name { font-weight: 700; margin: 0; overflow-wrap: anywhere; }
.app-description, .app-website { margin: .25rem 0 0; overflow-wrap: anywhere; }
ul.can li::marker { content: "✓  "; color: var(--ok); }
ul.cannot li::marker { content: "✗  "; color: var(--danger); }
.pin { font-size: 2rem; letter-spacing: .2em; text-align: center; margin: 1rem 0; }
.apps { list-style: none; padding: 0; margin: 0; }
.connected-app { border-top: 1px solid var(--line); padding: .75rem 0; }
.connected-app p { margin: 0 0 .25rem; }
.variants { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 1rem; }
.variant { margin: 0; text-align: center; font-size: .8rem; color: var(--muted); }
.variant img { display: block; max-width: 100%; height: auto; border-radius: .25rem; background: var(--ground); }
@media (max-width: 30rem) {
  main { padding: .5rem; }
  .card { margin: .5rem auto; padding: 1rem; border-radius: .5rem; }
  .buttons button { flex: 1 1 auto; }
}
)";

}  // namespace

std::string_view Stylesheet() { return kStylesheet; }

}  // namespace portrait::web
