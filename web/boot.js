// Starts the wasm app. A file of its own (not an inline <script>) so the server's
// Content-Security-Policy can forbid inline scripts; build-web.sh stamps the asset version in.
import init from '/app.js?v=__V__';
init({ module_or_path: '/app_bg.wasm?v=__V__' });
